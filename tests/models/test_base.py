"""What every public record shares: published QuerySets, word search."""

import pytest

from negotiations.models import Official, Position, Quote, Round
from tests.factories import make_official, make_quote, make_round

pytestmark = pytest.mark.django_db


def test_published_querysets_hide_drafts():
    make_round(slug="public")
    make_round(slug="hidden", state="draft")
    assert [r.slug for r in Round.objects.published()] == ["public"]


def test_visible_to_shows_staff_the_drafts_too(django_user_model):
    make_round(slug="public")
    make_round(slug="hidden", state="draft")
    visitor = django_user_model(is_staff=False)
    staff = django_user_model(is_staff=True)
    assert Round.objects.visible_to(visitor).count() == 1
    assert Round.objects.visible_to(staff).count() == 2


class TestMatching:
    def test_every_word_must_appear_in_one_of_the_search_fields_in_any_case(self):
        speaker = make_official(name="Scott Bessent", native_name="")
        make_quote(speaker=speaker, text="The talks are somewhat deadlocked", setting="Fox")
        make_quote(speaker=speaker, text="We will meet again")
        found = Quote.objects.matching("bessent DEADLOCKED")
        assert [q.text for q in found] == ["The talks are somewhat deadlocked"]
        assert Quote.objects.matching("bessent fox").count() == 1
        assert Quote.objects.matching("bessent beijing").count() == 0

    def test_no_words_is_no_filter(self):
        make_quote()
        assert Quote.objects.matching("   ").count() == 1

    def test_a_match_through_a_many_valued_relation_is_one_result(self):
        official = make_official(name="Li Chenggang", native_name="李成钢")
        for title in ("Vice Minister", "Trade Representative", "Vice Minister of Commerce"):
            Position.objects.create(official=official, title=title)
        assert list(Official.objects.matching("vice")) == [official]
        assert list(Official.objects.matching("李成钢")) == [official]


class TestChoiceLabels:
    """``get_<field>_display()`` reads a table made once per field: the same answers as
    Django's, and the value itself where it is not a choice."""

    def test_each_choice_reads_its_label_and_an_unknown_value_reads_as_itself(self):
        quote = make_quote(text="We will meet again")
        for value, label in Quote._meta.get_field("kind").flatchoices:
            quote.kind = value
            assert quote.get_kind_display() == str(label)
        quote.kind = "not-a-kind"
        assert quote.get_kind_display() == "not-a-kind"

    def test_a_label_of_the_shared_publication_state(self):
        round_ = make_round(slug="geneva-may-2025")
        assert round_.get_state_display() == "Published"
        round_.state = "draft"
        assert round_.get_state_display() == "Draft"


class TestRecordPaths:
    """Records' paths are reversed once per URL name and filled in: the same as reverse()."""

    def test_every_record_path_is_what_reverse_gives(self):
        from django.urls import reverse

        quote = make_quote(text="We will meet again")
        round_ = make_round(slug="geneva-may-2025")
        assert quote.get_absolute_url() == reverse(
            "negotiations:quote-detail", kwargs={"pk": quote.pk}
        )
        assert quote.speaker.get_absolute_url() == reverse(
            "negotiations:official-detail", kwargs={"slug": quote.speaker.slug}
        )
        assert round_.get_absolute_url() == "/rounds/geneva-may-2025/"

    def test_a_script_prefix_is_kept(self):
        from django.urls import clear_script_prefix, set_script_prefix

        round_ = make_round(slug="london-june-2025")
        set_script_prefix("/kb/")
        try:
            assert round_.get_absolute_url() == "/kb/rounds/london-june-2025/"
        finally:
            clear_script_prefix()
        assert round_.get_absolute_url() == "/rounds/london-june-2025/"
