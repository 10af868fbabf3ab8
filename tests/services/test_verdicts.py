"""Quote verdicts: verbatim, variant, reporter's words or unverified, derived from the cited
passages and the statement's published wordings; kept right on every write."""

import pytest
from django.urls import reverse

from negotiations.models import Quote, Statement
from negotiations.services import verdicts
from tests.factories import cite, make_official, make_quote, make_source
from tests.helpers import quote_form

pytestmark = pytest.mark.django_db


BODY = "Bessent said talks were “a bit stalled,” he told Fox News. Xi did not reply."


class TestQuoteVerdicts:
    def test_verbatim_when_the_words_are_in_a_cited_source(self):
        quote = make_quote(text="A BIT stalled,")  # case and edge punctuation do not matter
        cite(quote, make_source(body=BODY), passage="a bit stalled")
        verdicts.refresh_verifications()
        quote.refresh_from_db()
        assert quote.verification == "verbatim"

    def test_unverified_when_no_cited_source_prints_the_words(self):
        quote = make_quote(text="the talks have totally collapsed")
        cite(quote, make_source(body=BODY), passage="a bit stalled")
        verdicts.refresh_verifications()
        quote.refresh_from_db()
        assert quote.verification == "unverified"

    def test_a_paraphrase_is_the_reporters_words_never_verbatim(self):
        quote = make_quote(text="Bessent said talks were", kind="paraphrase")
        cite(quote, make_source(body=BODY))
        quote.refresh_from_db()
        assert quote.verification == "reported"
        assert "reporter’s words" in str(quote.verification_explanation)

    def test_words_found_only_in_the_narration_are_not_verbatim(self):
        quote = make_quote(text="he told Fox News", kind="direct")
        cite(quote, make_source(body=BODY))
        quote.refresh_from_db()
        assert quote.verification == "unverified"

    def test_words_in_quotation_marks_outside_the_cited_passage_do_not_count(self):
        body = "Bessent spoke. “We are close,” he said. Later he said we are close again."
        quote = make_quote(text="we are close", kind="partial")
        cite(quote, make_source(body=body), passage="Later he said we are close again.")
        quote.refresh_from_db()
        assert quote.verification == "unverified"

    def test_straight_single_and_guillemet_quotation_marks_count(self):
        for body in (
            'He said "a bit stalled" today.',
            "He said ‘a bit stalled’ today.",
            "Il a dit « a bit stalled » hier.",
        ):
            quote = make_quote(text="a bit stalled")
            cite(quote, make_source(body=body), passage="a bit stalled")
            quote.refresh_from_db()
            assert quote.verification == "verbatim", body

    def test_a_draft_wording_does_not_make_a_published_quote_a_variant(self):
        speaker = make_official()
        statement = Statement.objects.create(slug="stalled", speaker=speaker, summary="Stalled")
        published = make_quote(speaker=speaker, statement=statement, text="a bit stalled")
        cite(published, make_source(body=BODY))
        draft = make_quote(speaker=speaker, statement=statement, text="stuck", state="draft")
        cite(draft, make_source(body="He said the talks were “stuck”."))
        published.refresh_from_db()
        assert published.verification == "verbatim"
        draft.state = "published"
        draft.save()  # publishing the other wording makes both variants, at once
        assert set(statement.quotes.values_list("verification", flat=True)) == {"variant"}
        draft.statement = None
        draft.save()  # ungrouped: each stands alone again
        published.refresh_from_db()
        assert published.verification == "verbatim"

    def test_the_seed_has_no_paraphrase_labelled_verbatim(self, seeded):
        assert not Quote.objects.filter(kind="paraphrase", verification="verbatim").exists()
        assert Quote.objects.filter(kind="paraphrase", verification="reported").exists()

    def test_variant_when_its_statement_has_other_wordings_in_other_sources(self):
        speaker = make_official()
        statement = Statement.objects.create(
            slug="stalled-talks", speaker=speaker, summary="Stalled", state="published"
        )
        first = make_quote(speaker=speaker, statement=statement, text="a bit stalled")
        cite(first, make_source(body=BODY))
        second = make_quote(
            speaker=speaker, statement=statement, text="somewhat deadlocked right now"
        )
        cite(second, make_source())
        verdicts.refresh_verifications()
        assert set(Quote.objects.values_list("verification", flat=True)) == {"variant"}

    def test_the_seed_remark_on_stalled_talks_is_three_variants_of_one_statement(self, seeded):
        wordings = Quote.objects.filter(statement__slug="bessent-talks-stalled")
        assert sorted(wordings.values_list("text", flat=True)) == [
            "a bit stalled",
            "somewhat deadlocked right now",
            "stalled",
        ]
        assert set(wordings.values_list("verification", flat=True)) == {"variant"}

    def test_the_admin_derives_the_verdict_on_save(self, editor_client):
        speaker, source = make_official(), make_source(body=BODY)
        form = quote_form(speaker, source, "a bit stalled", text="a bit stalled")
        editor_client.post(reverse("admin:negotiations_quote_add"), form)
        assert Quote.objects.get().verification == "verbatim"
