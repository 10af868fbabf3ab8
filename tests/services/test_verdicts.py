"""Quote verdicts: verbatim, variant or unverified, derived from citations and wordings."""

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

    def test_variant_when_its_statement_has_other_wordings_in_other_sources(self):
        speaker = make_official()
        statement = Statement.objects.create(slug="stalled", speaker=speaker, summary="Stalled")
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
