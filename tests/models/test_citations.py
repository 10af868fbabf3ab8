"""Citations: anchored on save, refused when the passage is not in the source, one target."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from negotiations.models import Citation, Official, Source
from tests.factories import (
    cite,
    make_agenda_item,
    make_claim,
    make_official,
    make_quote,
    make_round,
    make_source,
    make_sticking_point,
)
from tests.helpers import insert_bypassing_save, messages, refused_by_database

pytestmark = pytest.mark.django_db


class TestCitation:
    def test_anchors_the_pasted_passage_in_the_source(self):
        source = make_source()
        quote = make_quote(text="somewhat deadlocked right now")
        citation = cite(quote, source, passage='"somewhat   deadlocked right now."')
        assert source.body[citation.start : citation.end] == citation.exact
        assert citation.exact == "“somewhat deadlocked right now.”"
        assert citation.is_anchored

    def test_a_passage_not_in_the_source_is_refused_and_the_closest_is_shown(self):
        source = make_source()
        quote = make_quote()
        citation = Citation(source=source, quote=quote, exact="the talks were totally deadlocked")
        with pytest.raises(ValidationError) as error:
            citation.full_clean()
        assert "does not appear in the source" in messages(error)
        assert "closest passage" in messages(error)
        # A path that skips full_clean (a script, the shell) is refused by save() itself.
        with pytest.raises(ValidationError, match="only once its passage is found"):
            citation.save()
        assert not Citation.objects.exists()

    def test_exact_text_cannot_be_empty(self):
        source, quote = make_source(), make_quote()
        refused_by_database(
            lambda: insert_bypassing_save(source=source, quote=quote, exact="", start=0, end=1)
        )

    def test_exactly_one_target(self):
        source, quote, claim = make_source(), make_quote(), make_claim()
        refused_by_database(
            lambda: insert_bypassing_save(source=source, exact="Geneva", start=21, end=27)
        )
        refused_by_database(
            lambda: insert_bypassing_save(
                source=source, quote=quote, claim=claim, exact="Geneva", start=21, end=27
            )
        )
        both = Citation(source=source, quote=quote, claim=claim, exact="Geneva")
        with pytest.raises(ValidationError) as error:
            both.full_clean()
        assert "exactly one record" in messages(error)

    def test_save_refuses_a_citation_whose_passage_is_not_at_its_offsets(self):
        source, quote = make_source(), make_quote()
        with pytest.raises(ValidationError) as error:
            Citation.objects.create(source=source, quote=quote, exact="Geneva", start=0, end=6)
        assert "only once its passage is found" in messages(error)
        assert not Citation.objects.exists()

    def test_end_after_start(self):
        source, quote = make_source(), make_quote()
        refused_by_database(
            lambda: insert_bypassing_save(source=source, quote=quote, exact="x", start=5, end=5)
        )

    def test_a_cited_source_cannot_be_deleted(self):
        source = make_source()
        cite(make_quote(), source)
        with pytest.raises(ProtectedError):
            source.delete()
        assert Source.objects.filter(pk=source.pk).exists()

    def test_a_quoted_official_cannot_be_deleted(self):
        official = make_official()
        make_quote(speaker=official)
        with pytest.raises(ProtectedError):
            official.delete()
        assert Official.objects.filter(pk=official.pk).exists()

    def test_link_points_at_the_marked_passage(self):
        citation = cite(make_quote())
        assert citation.get_absolute_url() == f"/sources/{citation.source.slug}/#cite-{citation.pk}"

    def test_its_label_names_what_cites_the_passage(self):
        speaker = make_official(name="Scott Bessent")
        assert str(cite(make_quote(speaker=speaker)).label) == "quote by Scott Bessent"
        assert str(cite(make_claim()).label) == "claim"
        item = make_agenda_item(
            make_round(title="Geneva talks"), make_sticking_point(name="Tariffs")
        )
        assert str(cite(item).label) == "Tariffs at Geneva talks"

    def test_the_original_link_scrolls_to_the_passage_where_the_url_is_known(self):
        known = cite(make_quote(), make_source(url="https://example.org/a"))
        assert known.original_link == (
            "https://example.org/a#:~:text=somewhat%20deadlocked%20right%20now"
        )
        assert cite(make_quote(), make_source(url="")).original_link == ""


class TestCitationsShownOnPages:
    """Pages list citations without their sources' stored text, yet say just as surely whether
    each passage is still in place: the database compares it (``passage_in_place``)."""

    def shown(self, citation):
        return Citation.objects.public().get(pk=citation.pk)

    def test_the_source_text_is_not_read(self, django_assert_num_queries):
        citation = self.shown(cite(make_claim()))
        assert "body" in citation.source.get_deferred_fields()
        with django_assert_num_queries(0):
            assert citation.is_anchored is True
            assert citation.source.title and citation.get_absolute_url()

    def test_the_database_counts_characters_as_python_does(self):
        # Multi-byte and astral characters before the passage: offsets are in characters.
        source = make_source(body="🇺🇸🇨🇳 李成钢 (Li Chenggang) said: “no deal yet”. Tariffs fell.")
        citation = cite(make_quote(text="no deal yet"), source)
        assert source.body[citation.start : citation.end] == "no deal yet"
        assert self.shown(citation).is_anchored is True

    def test_a_passage_no_longer_at_its_offsets_is_not_anchored(self):
        citation = cite(make_claim())
        body = citation.source.body
        # The text changed under it without re-anchoring (as a raw update would).
        Source.objects.filter(pk=citation.source_id).update(body="Preface. " + body)
        shown = self.shown(citation)
        assert shown.passage_in_place is False and shown.is_anchored is False
        assert Citation.objects.select_related("source").get(pk=citation.pk).is_anchored is False

    def test_a_broken_or_reviewed_anchor_is_not_anchored_even_in_place(self):
        citation = cite(make_claim())
        Citation.objects.filter(pk=citation.pk).update(anchor_status="broken")
        shown = self.shown(citation)
        assert shown.passage_in_place is True and shown.is_anchored is False

    def test_without_the_annotation_the_text_is_read(self):
        citation = Citation.objects.get(pk=cite(make_claim()).pk)
        assert "passage_in_place" not in citation.__dict__
        assert citation.is_anchored is True
