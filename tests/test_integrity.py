"""Evidence integrity: anchors survive edits or are marked broken, verdicts and statuses derive."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from negotiations.models import AnchorStatus, Citation, Claim, Quote, Source, Statement
from negotiations.services import verdicts

from .factories import cite, make_claim, make_official, make_quote, make_source

pytestmark = pytest.mark.django_db

BODY = "Bessent said talks were “a bit stalled,” he told Fox News. Xi did not reply."


def edit_body(client, source, body):
    """Save a source's new text through the admin, as an editor would."""
    data = {
        "title": source.title,
        "slug": source.slug,
        "kind": source.kind,
        "language": source.language,
        "published_precision": source.published_precision,
        "body": body,
        "reliability": source.reliability,
        "state": source.state,
    }
    url = reverse("admin:negotiations_source_change", args=[source.pk])
    return client.post(url, data, follow=True)


class TestReanchoring:
    def test_an_edit_before_the_passage_moves_the_anchor(self, editor_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled"), source)
        response = edit_body(editor_client, source, "UPDATED 30 May. " + BODY)
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.ANCHORED
        assert citation.start == len("UPDATED 30 May. ") + BODY.index("a bit stalled")
        assert "1 found again at new places" in response.text

    def test_an_edit_after_the_passage_keeps_it_in_place(self, editor_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled"), source)
        before = (citation.start, citation.end)
        edit_body(editor_client, source, BODY + " A correction was appended.")
        citation.refresh_from_db()
        assert (citation.start, citation.end) == before
        assert citation.is_anchored

    def test_an_edit_that_destroys_the_passage_marks_it_broken_and_keeps_it(
        self, editor_client, client
    ):
        source = make_source(body=BODY)
        quote = make_quote(text="a bit stalled")
        citation = cite(quote, source)
        response = edit_body(editor_client, source, BODY.replace("a bit stalled", "stuck"))
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.BROKEN
        assert citation.exact == "a bit stalled"  # kept as it was, never silently moved
        assert f"Citation {citation.pk} of" in response.text and "is broken" in response.text
        quote.refresh_from_db()
        assert quote.verification == "unverified"
        integrity = client.get("/integrity/").text
        assert "a bit stalled" in integrity and quote.get_absolute_url() in integrity
        admin_list = editor_client.get(
            reverse("admin:negotiations_citation_changelist"), {"anchor_status__exact": "broken"}
        )
        assert admin_list.context["cl"].result_count == 1

    def test_repairing_a_broken_citation_anchors_it_again(self, editor_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled"), source)
        edit_body(editor_client, source, BODY.replace("a bit stalled", "a little stalled"))
        citation.refresh_from_db()
        citation.exact = "a little stalled"
        citation.full_clean()
        citation.save()
        assert citation.anchor_status == AnchorStatus.ANCHORED


class TestVerifyCitations:
    def test_passes_on_the_seed(self, seeded, capsys):
        call_command("verify_citations")
        out = capsys.readouterr().out
        assert f"{Citation.objects.count()} citations checked" in out
        assert "0 broken" in out

    def test_fails_after_an_edit_that_destroys_a_passage(self, seeded, capsys):
        source = Source.objects.get(slug="bessent-fox-yahoo")
        Source.objects.filter(pk=source.pk).update(
            body=source.body.replace("a bit stalled", "stuck")
        )
        with pytest.raises(CommandError, match="1 broken"):
            call_command("verify_citations")
        assert "a bit stalled" in capsys.readouterr().err
        assert Citation.objects.broken().count() == 1
        assert Quote.objects.get(text="a bit stalled").verification == "unverified"

    def test_the_command_exits_non_zero_from_the_shell(self, seeded):
        source = Source.objects.get(slug="bessent-fox-yahoo")
        Source.objects.filter(pk=source.pk).update(body="Nothing left.")
        with pytest.raises(SystemExit) as exit_info:
            from django.core.management import execute_from_command_line

            execute_from_command_line(["manage.py", "verify_citations", "-v0"])
        assert exit_info.value.code != 0

    def test_dry_run_changes_nothing(self, seeded):
        Source.objects.filter(slug="bessent-fox-yahoo").update(body="Nothing left.")
        with pytest.raises(CommandError):
            call_command("verify_citations", dry_run=True)
        assert not Citation.objects.broken().exists()


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
        url = reverse("admin:negotiations_quote_add")
        editor_client.post(
            url,
            {
                "text": "a bit stalled",
                "speaker": speaker.pk,
                "kind": "partial",
                "said_precision": "unknown",
                "state": "draft",
                "citations-TOTAL_FORMS": "1",
                "citations-INITIAL_FORMS": "0",
                "citations-0-source": source.pk,
                "citations-0-stance": "supports",
                "citations-0-exact": "a bit stalled",
            },
        )
        assert Quote.objects.get().verification == "verbatim"


class TestClaimStatus:
    def status(self, claim):
        return Claim.objects.with_status().get(pk=claim.pk).status

    def test_single_source_then_corroborated_then_disputed(self):
        claim = make_claim()
        cite(claim, make_source())
        assert self.status(claim) == "single_source"
        cite(claim, make_source())
        assert self.status(claim) == "corroborated"
        cite(claim, make_source(), stance="disputes")
        assert self.status(claim) == "disputed"

    def test_a_copy_is_not_an_independent_source(self):
        claim = make_claim()
        original, copy = make_source(), make_source()
        copy.derived_from.add(original)
        cite(claim, original)
        cite(claim, copy)
        assert self.status(claim) == "single_source"

    def test_two_citations_of_one_source_are_one_source(self):
        claim = make_claim()
        source = make_source()
        cite(claim, source, passage="Tariffs fell from 145% to 30%.")
        cite(claim, source, passage="Negotiators met in Geneva.")
        assert self.status(claim) == "single_source"

    def test_the_seed_has_disputed_and_corroborated_claims(self, seeded):
        statuses = list(Claim.objects.with_status().values_list("status", flat=True))
        assert statuses.count("disputed") >= 3
        assert statuses.count("corroborated") >= 5


class TestPublicIntegrity:
    def test_quotes_filter_by_verification(self, seeded, client):
        for verdict in ("verbatim", "variant", "unverified"):
            data = client.get("/quotes/", {"verification": verdict, "format": "json"}).json()
            assert data["count"] == Quote.objects.published().filter(verification=verdict).count()
            assert {r["verification"] for r in data["results"]} <= {verdict}

    def test_quote_json_carries_verification_and_statement(self, seeded, client):
        quote = Quote.objects.get(text="a bit stalled")
        data = client.get(quote.get_absolute_url(), {"format": "json"}).json()
        assert data["verification"] == "variant"
        assert data["statement"] == "bessent-talks-stalled"
        assert len(data["variants"]) == 2

    def test_a_quote_page_diffs_wordings_and_points_out_numbers(self, client):
        speaker = make_official()
        statement = Statement.objects.create(slug="deficit", speaker=speaker, summary="Deficit")
        here = make_quote(
            speaker=speaker, statement=statement, text="cut the deficit by $50 billion"
        )
        there = make_quote(
            speaker=speaker, statement=statement, text="did not cut the deficit by $15 billion"
        )
        page = client.get(here.get_absolute_url()).text
        assert "Numbers differ: 50 here, 15 there." in page
        assert "Negation differs: none here, not there." in page
        assert '<mark class="diff">' in page and there.get_absolute_url() in page

    def test_integrity_page_lists_counts_disputes_unverified_and_broken(self, seeded, client):
        Source.objects.filter(slug="bessent-fox-yahoo").update(
            body=Source.objects.get(slug="bessent-fox-yahoo").body.replace("a bit stalled", "stuck")
        )
        with pytest.raises(CommandError):
            call_command("verify_citations", verbosity=0)
        page = client.get("/integrity/")
        assert page.status_code == 200
        unverified = Quote.objects.get(text="a bit stalled")
        assert unverified.get_absolute_url() in page.text
        for claim in Claim.objects.with_status().filter(status="disputed"):
            assert claim.get_absolute_url() in page.text
        broken = Citation.objects.broken().get()
        assert broken.quote.get_absolute_url() in page.text
        counts = dict((v.value, n) for v, n, _ in page.context["verdict_counts"])
        assert counts["unverified"] == 1


def test_an_edit_just_after_a_passage_refreshes_its_context(editor_client):
    source = make_source(body=BODY)
    citation = cite(make_quote(text="a bit stalled"), source)
    start = citation.start
    edited = BODY.replace("he told Fox News", "he told Fox Business")
    edit_body(editor_client, source, edited)
    citation.refresh_from_db()
    assert citation.start == start  # the passage did not move
    assert citation.suffix == edited[citation.end : citation.end + len(citation.suffix)]
    assert "Fox Business" in citation.suffix
