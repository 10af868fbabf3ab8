"""Cite by selecting, through the admin over HTTP: the source's “Cite from the text” page, the
forms it opens with the selected passage filled in (a new quote with its speaker guessed, a new
claim, an existing record's extra citation row), the citation anchored at the selected offsets
on save, and bad offsets answered with a message."""

import html as html_module
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from negotiations.models import AgendaItem, Citation, Claim, PublicationState, Quote, Source
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
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db

DRAFT = PublicationState.DRAFT

# A sentence told twice with the same words around it, and a character outside the BMP first:
# only the offsets say which telling was selected, and they count “📈” once.
TELLING = (
    "At the briefing, “we will not accept unilateral tariffs,” Li said, and the room fell "
    "silent for a while. "
)
BODY = "📈 Markets rose on the news.\n\n" + TELLING + "Later that day, " + TELLING


def cite_page(source):
    return reverse("admin:negotiations_source_cite", args=[source.pk])


def selection_of(source, passage, occurrence=1):
    start = -1
    for _ in range(occurrence):
        start = source.body.index(passage, start + 1)
    return start, start + len(passage)


def cite_param(source, start, end):
    return f"?cite={source.pk}:{start}:{end}"


def citation_row(response):
    formset = response.context["inline_admin_formsets"][0].formset
    return formset.forms[-1]


@pytest.fixture
def li():
    return make_official(name="Li Chenggang", native_name="李成钢", country="CN")


@pytest.fixture
def source():
    return make_source(body=BODY, title="Briefing in Beijing")


class TestTheCitePage:
    def test_it_shows_the_stored_text_with_the_citations_marked(self, editor_client, source):
        quote = make_quote(text="Markets rose on the news.")
        citation = cite(quote, source, "Markets rose on the news.")
        response = editor_client.get(cite_page(source))
        assert response.status_code == 200
        html = response.text
        assert 'aria-label="Stored text"' in html and 'contenteditable="true"' in html
        assert f'data-length="{len(BODY)}"' in html
        assert f'id="cite-{citation.pk}"' in html
        assert f'title="quote by {quote.speaker.name}"' in html
        assert admin_url(Quote, "change", quote.pk) in html
        assert "cite-ref" not in html  # no numbered links inside the text: offsets count in it
        for name in ("New quote", "New claim", "Add to an existing record"):
            assert f">{name}</button>" in html
        assert "js/select_to_cite.js" in html

    def test_its_text_is_the_stored_text_character_for_character(self, editor_client, source):
        cite(make_quote(text="Markets rose"), source, "Markets rose")
        page = editor_client.get(cite_page(source)).text
        region = re.search(r'id="stored-text"[^>]*>(.*?)</div>', page, re.S).group(1)
        assert html_module.unescape(re.sub(r"<[^>]+>", "", region)) == BODY

    def test_it_runs_the_same_queries_however_many_citations(self, editor_client, source):
        cite(make_quote(text="Markets rose"), source, "Markets rose")
        editor_client.get(cite_page(source))
        with CaptureQueriesContext(connection) as one:
            editor_client.get(cite_page(source))
        for _ in range(4):
            cite(make_claim(), source, "Markets rose on the news.")
        item = make_agenda_item(make_round(), make_sticking_point())
        cite(item, source, "Later that day")
        with CaptureQueriesContext(connection) as six:
            editor_client.get(cite_page(source))
        assert len(six) == len(one)

    def test_it_is_linked_from_the_source_form_and_list(self, editor_client, source):
        change = editor_client.get(admin_url(Source, "change", source.pk)).text
        assert f'href="{cite_page(source)}"' in change
        listing = editor_client.get(admin_url(Source, "changelist")).text
        assert f'href="{cite_page(source)}"' in listing

    def test_an_unknown_source_is_not_a_500(self, editor_client):
        response = editor_client.get(reverse("admin:negotiations_source_cite", args=[999999]))
        assert response.status_code == 302


class TestANewQuote:
    def test_the_form_opens_with_the_passage_and_the_speaker_guessed(
        self, editor_client, source, li
    ):
        start, end = selection_of(source, "we will not accept unilateral tariffs", 2)
        response = editor_client.get(admin_url(Quote, "add") + cite_param(source, start, end))
        assert response.status_code == 200
        form = response.context["adminform"].form
        assert form.initial["text"] == "we will not accept unilateral tariffs"
        assert form.initial["speaker"] == li.pk
        assert "Speaker guessed from “…Li said”: check it." in response.text
        row = citation_row(response)
        assert row.initial == {
            "source": source.pk,
            "exact": "we will not accept unilateral tariffs",
            "prefix": BODY[start - 32 : start],
            "suffix": BODY[end : end + 32],
            "selected_start": start,
            "selected_end": end,
        }

    def test_saved_the_citation_is_anchored_at_the_selected_offsets(
        self, editor_client, source, li
    ):
        # The second telling: the same words with the same 32 characters around them.
        start, end = selection_of(source, "we will not accept unilateral tariffs", 2)
        opened = editor_client.get(admin_url(Quote, "add") + cite_param(source, start, end))
        data = form_data(opened)
        assert data["speaker"] == str(li.pk)
        data.update({"kind": "direct", "said_precision": "unknown"})
        saved = editor_client.post(admin_url(Quote, "add") + cite_param(source, start, end), data)
        assert saved.status_code == 302, saved.context["adminform"].form.errors
        citation = Citation.objects.get()
        assert (citation.start, citation.end) == (start, end)
        assert BODY[citation.start : citation.end] == citation.exact
        assert citation.quote.speaker == li
        assert citation.prefix == BODY[start - 32 : start]  # with its line breaks, as stored

    def test_without_an_attribution_there_is_no_guess(self, editor_client, source, li):
        start, end = selection_of(source, "Markets rose on the news.")
        response = editor_client.get(admin_url(Quote, "add") + cite_param(source, start, end))
        assert "speaker" not in response.context["adminform"].form.initial
        assert "Speaker guessed" not in response.text

    def test_a_passage_edited_in_the_form_is_searched_for_as_pasted(
        self, editor_client, source, li
    ):
        start, end = selection_of(source, "the room fell silent for a while", 2)
        data = form_data(
            editor_client.get(admin_url(Quote, "add") + cite_param(source, start, end))
        )
        data.update(
            {
                "speaker": li.pk,
                "kind": "paraphrase",
                "said_precision": "unknown",
                "citations-0-exact": "Markets rose",  # the editor typed another passage
            }
        )
        saved = editor_client.post(admin_url(Quote, "add"), data)
        assert saved.status_code == 302
        citation = Citation.objects.get()
        assert (citation.start, citation.end) == selection_of(source, "Markets rose")

    def test_a_text_changed_since_the_selection_falls_back_to_the_search(
        self, editor_client, source, li
    ):
        start, end = selection_of(source, "Markets rose on the news")
        data = form_data(
            editor_client.get(admin_url(Quote, "add") + cite_param(source, start, end))
        )
        Source.objects.filter(pk=source.pk).update(body="Breaking: " + BODY)
        data.update({"speaker": li.pk, "kind": "paraphrase", "said_precision": "unknown"})
        saved = editor_client.post(admin_url(Quote, "add"), data)
        assert saved.status_code == 302, saved.context["adminform"].form.errors
        citation = Citation.objects.get()
        assert (citation.start, citation.end) == (start + 10, end + 10)


class TestANewClaim:
    def test_the_form_opens_with_the_passage_as_its_text_and_citation(self, editor_client, source):
        start, end = selection_of(source, "Markets rose on the news.")
        response = editor_client.get(admin_url(Claim, "add") + cite_param(source, start, end))
        assert response.context["adminform"].form.initial["text"] == "Markets rose on the news."
        data = form_data(response)
        saved = editor_client.post(admin_url(Claim, "add"), data)
        assert saved.status_code == 302, saved.context["adminform"].form.errors
        citation = Citation.objects.get()
        assert citation.claim.text == "Markets rose on the news."
        assert (citation.start, citation.end) == (start, end)


class TestAnExistingRecord:
    @pytest.mark.parametrize("kind", ["quote", "claim", "agenda_item"])
    def test_the_choice_opens_its_form_with_one_more_row_holding_the_passage(
        self, editor_client, source, kind
    ):
        record = {
            # Drafts: an editor's change to a published record is another matter (its review).
            "quote": lambda: make_quote(text="Markets rose on the news.", state=DRAFT),
            "claim": lambda: make_claim(state=DRAFT),
            "agenda_item": lambda: make_agenda_item(make_round(state=DRAFT), make_sticking_point()),
        }[kind]()
        first = cite(record, source, "Markets rose on the news.")
        start, end = selection_of(source, "we will not accept unilateral tariffs", 2)
        chosen = editor_client.get(
            cite_page(source), {"cite": f"{source.pk}:{start}:{end}", kind: record.pk}
        )
        change = admin_url(type(record), "change", record.pk)
        assert chosen.status_code == 302
        assert chosen.url == change + cite_param(source, start, end)
        opened = editor_client.get(chosen.url)
        formset = opened.context["inline_admin_formsets"][0].formset
        assert len(formset.forms) == 2
        assert formset.forms[0].instance == first
        assert formset.forms[1].initial["selected_start"] == start
        saved = editor_client.post(chosen.url, form_data(opened))
        assert saved.status_code == 302, saved.context
        added = record.citations.exclude(pk=first.pk).get()
        assert (added.start, added.end) == (start, end)

    def test_choosing_no_record_says_so(self, editor_client, source):
        response = editor_client.get(cite_page(source), {"cite": f"{source.pk}:2:10"})
        assert response.status_code == 200
        assert "Choose one quote, claim or agenda item" in response.text

    def test_choosing_two_records_says_so(self, editor_client, source):
        response = editor_client.get(
            cite_page(source),
            {"cite": f"{source.pk}:2:10", "quote": make_quote().pk, "claim": make_claim().pk},
        )
        assert response.status_code == 200
        assert "Choose one quote, claim or agenda item" in response.text

    def test_a_selection_in_another_source_is_refused(self, editor_client, source):
        other = make_source()
        response = editor_client.get(
            cite_page(source), {"cite": f"{other.pk}:0:5", "quote": make_quote().pk}
        )
        assert response.status_code == 200
        assert f"There is no source {other.pk}" in response.text


@pytest.mark.parametrize(
    ("cite", "message"),
    [
        ("{pk}:50:10", "selects nothing"),
        ("{pk}:0:99999", "lies outside the stored text of “Briefing in Beijing”"),
        ("{pk}:{blank}:{blank_end}", "holds only white space"),
        ("{pk}:abc", "is not a selection"),
        ("987654:0:5", "There is no source 987654"),
    ],
)
@pytest.mark.parametrize("model", [Quote, Claim, AgendaItem])
def test_bad_offsets_give_a_message_and_an_empty_row(editor_client, source, cite, message, model):
    blank = BODY.index("\n\n")
    value = cite.format(pk=source.pk, blank=blank, blank_end=blank + 2)
    if model is AgendaItem:
        url = admin_url(model, "change", make_agenda_item(make_round(), make_sticking_point()).pk)
    else:
        url = admin_url(model, "add")
    response = editor_client.get(url, {"cite": value})
    assert response.status_code == 200
    assert message in response.text
    for formset in response.context["inline_admin_formsets"]:
        assert all(not form.initial.get("exact") for form in formset.formset.forms)


def test_the_paste_path_is_unchanged(editor_client, source, li):
    response = editor_client.post(
        admin_url(Quote, "add"),
        {
            "text": "Markets rose",
            "speaker": li.pk,
            "kind": "paraphrase",
            "said_precision": "unknown",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-stance": "supports",
            "citations-0-exact": "Markets   rose on the news",
        },
    )
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert citation.exact == "Markets rose on the news"


class TestTheRoundGuessAndTheWayBack:
    def test_a_round_is_guessed_when_the_records_citing_the_source_share_it(
        self, editor_client, source
    ):
        round_ = make_round(state=DRAFT)
        cite(make_agenda_item(round_, make_sticking_point()), source, "Markets rose on the news.")
        start, end = selection_of(source, "we will not accept unilateral tariffs")
        for model in (Quote, Claim):
            response = editor_client.get(admin_url(model, "add") + cite_param(source, start, end))
            assert response.context["adminform"].form.initial["round"] == round_.pk
            assert f"Round guessed from the records already citing this source: {round_}" in (
                html_module.unescape(response.text)
            )

    def test_no_round_is_guessed_from_two_rounds_or_none(self, editor_client, source):
        start, end = selection_of(source, "we will not accept unilateral tariffs")
        opened = editor_client.get(admin_url(Claim, "add") + cite_param(source, start, end))
        assert "round" not in opened.context["adminform"].form.initial
        cite(make_claim(round=make_round(state=DRAFT), state=DRAFT), source, "Markets rose")
        cite(make_quote(round=make_round(state=DRAFT), state=DRAFT), source, "on the news.")
        opened = editor_client.get(admin_url(Claim, "add") + cite_param(source, start, end))
        assert "round" not in opened.context["adminform"].form.initial
        assert "Round guessed" not in opened.text

    def test_saved_the_form_goes_back_to_the_cite_page(self, editor_client, source):
        start, end = selection_of(source, "Markets rose on the news.")
        address = admin_url(Claim, "add") + cite_param(source, start, end)
        saved = editor_client.post(address, form_data(editor_client.get(address)))
        assert saved.status_code == 302
        assert saved.url == cite_page(source)
        assert "was added successfully" in editor_client.get(saved.url).text

    def test_save_and_continue_still_stays_on_the_form(self, editor_client, source):
        start, end = selection_of(source, "Markets rose on the news.")
        address = admin_url(Claim, "add") + cite_param(source, start, end)
        data = {**form_data(editor_client.get(address)), "_continue": "1"}
        saved = editor_client.post(address, data)
        claim = Claim.objects.get()
        assert saved.status_code == 302
        assert saved.url.startswith(admin_url(Claim, "change", claim.pk))

    def test_a_form_not_opened_from_the_cite_page_goes_to_its_list(self, editor_client):
        data = {"text": "A claim typed by hand.", "as_of_precision": "unknown"}
        data.update(
            {
                f"citations-{name}": value
                for name, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
            }
        )
        saved = editor_client.post(admin_url(Claim, "add") + "?cite=nonsense", data)
        assert saved.status_code == 302, saved.context["adminform"].form.errors
        assert saved.url == admin_url(Claim, "changelist")
