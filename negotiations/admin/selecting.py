"""Cite by selecting: a source's “Cite from the text” page, where an editor selects a passage of
the stored text (existing citations marked), and the forms it opens with the passage filled in.

The page sends only the source and the code-point offsets of the selection
(``?cite=<source>:<start>:<end>``); the passage and its context are read from the stored text
(``negotiations.selection``). A new quote, a new claim, or the change form of an existing quote,
claim or agenda item opens with one citation row holding the passage, anchored at those offsets
when saved; a new quote also gets the speaker the text attributes the passage to, and a new quote
or claim the round of the records already citing the source, as guesses to check; saved, the form
goes back to the cite page for the next passage. The paste path (typing the passage into a
citation row) is unchanged.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import attribution, selection
from ..highlight import Span, render_marked_text
from ..models import AgendaItem, Citation, Claim, Official, Quote, Round, Source

CITE_PARAMETER = "cite"
# The records a selected passage can be added to, as fields of a citation.
TARGETS = {"quote": Quote, "claim": Claim, "agenda_item": AgendaItem}


def requested_passage(request):
    """The passage selected on a source's “Cite from the text” page that this form was opened
    with (``?cite=``), or None: none was, it was refused (``passage_refusal`` says why), or the
    form is being saved (the citation row's own fields then hold the passage)."""
    if request.method != "GET" or CITE_PARAMETER not in request.GET:
        return None
    if not hasattr(request, "_requested_passage"):
        request._requested_passage, request._passage_refusal = None, ""
        try:
            request._requested_passage = selection.from_query(request.GET[CITE_PARAMETER])
        except selection.SelectionError as refusal:
            request._passage_refusal = str(refusal)
    return request._requested_passage


def passage_refusal(request):
    requested_passage(request)
    return getattr(request, "_passage_refusal", "")


def cite_query(passage):
    return f"?{CITE_PARAMETER}={passage.query}"  # digits and colons: nothing to escape


def round_guess(passage):
    """The round of the records already citing the passage's source, when they all belong to
    one (an article reports one round, and the agenda items or quotes entered first from it
    say which); else None. One query over the source's citations (a handful)."""
    rounds = (
        Citation.objects.filter(source=passage.source)
        .annotate(round_id=Coalesce("quote__round", "claim__round", "agenda_item__round"))
        .filter(round_id__isnull=False)
        .order_by()
        .values_list("round_id", flat=True)
        .distinct()
    )
    found = list(rounds[:2])
    return Round.objects.filter(pk=found[0]).first() if len(found) == 1 else None


def speaker_guess(passage):
    """The official the stored text attributes the passage to, or None (``attribution``)."""
    body, anchor = passage.source.body, passage.anchor
    words = attribution.names_near(body, anchor.start, anchor.end)
    if not words:
        return None
    officials = Official.objects.named_in(words).only("pk", "name", "native_name", "country")
    return attribution.guess_speaker(body, anchor.start, anchor.end, officials)


class OpensFromSelection:
    """For the admin of a record a citation can back: its form opens with the selected passage
    in a citation row (the inline does that) and, for a new record, its text (and a quote's
    speaker) filled in from it. A refused selection is said at the top of the form."""

    guesses_speaker = False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        refusal = passage_refusal(request)
        if refusal:
            messages.error(request, refusal)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.pop(CITE_PARAMETER, None)
        passage = requested_passage(request)
        if passage is None:
            return initial
        if self.guesses_speaker:
            initial["text"] = passage.quoted_words
            guess = speaker_guess(passage)
            if guess is not None:
                initial["speaker"] = guess.official.pk
                messages.info(
                    request,
                    _("Speaker guessed from “…%(words)s”: check it.") % {"words": guess.words},
                )
        elif any(field.name == "text" for field in self.opts.fields):
            initial["text"] = " ".join(passage.anchor.exact.split())
        if any(field.name == "round" for field in self.opts.fields):
            round_ = round_guess(passage)
            if round_ is not None:
                initial["round"] = round_.pk
                messages.info(
                    request,
                    _("Round guessed from the records already citing this source: %(round)s.")
                    % {"round": round_},
                )
        return initial

    def cite_page_after_save(self, request):
        """Back to the cite page the form was opened from (``?cite=`` is still in the form's
        address when it is saved), for the next passage; None when it was not."""
        source_id = request.GET.get(CITE_PARAMETER, "").partition(":")[0]
        if not source_id.isdigit():
            return None
        if not Source.objects.filter(pk=source_id).exists():
            return None
        return HttpResponseRedirect(reverse("admin:negotiations_source_cite", args=[source_id]))

    def response_post_save_add(self, request, obj):
        return self.cite_page_after_save(request) or super().response_post_save_add(request, obj)

    def response_post_save_change(self, request, obj):
        back = self.cite_page_after_save(request)
        return back or super().response_post_save_change(request, obj)


class ExistingRecordForm(forms.Form):
    """On the cite page: the existing record to add the selected passage to (one of three)."""

    cite = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in TARGETS.items():
            self.fields[name] = forms.ModelChoiceField(
                model.objects.all(),
                required=False,
                label=model._meta.verbose_name.capitalize(),
                widget=AutocompleteSelect(Citation._meta.get_field(name), admin_site),
            )

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in TARGETS if cleaned.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                _("Choose one quote, claim or agenda item to add the passage to.")
            )
        cleaned["record"] = cleaned[chosen[0]]
        return cleaned


class CitesFromText:
    """For the source admin: the “Cite from the text” page, and links to it."""

    cite_template = "admin/negotiations/source/cite.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/cite/",
                self.admin_site.admin_view(self.cite_view),
                name="{}_{}_cite".format(*info),
            ),
            *super().get_urls(),
        ]

    def cite_url(self, source):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_cite", args=[source.pk])

    def cite_view(self, request, object_id):
        source = self.get_object(request, unquote(object_id))
        if source is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, source):
            raise PermissionDenied
        form = ExistingRecordForm(
            request.GET if "cite" in request.GET else None, admin_site=self.admin_site
        )
        if form.is_bound:
            answer = self.add_to_existing(request, source, form)
            if answer is not None:
                return answer
        citations = list(
            source.citations.with_passage_check()
            .select_related(
                "quote__speaker", "claim", "agenda_item__round", "agenda_item__sticking_point"
            )
            .in_text_order()
        )
        for citation in citations:
            citation.source = source
            citation.record_url = self.record_url(citation.target)
        spans = [
            Span(c.pk, c.start, c.end, c.record_url, str(c.label), c.stance)
            for c in citations
            if c.is_anchored
        ]
        user = request.user
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Cite from the text: %(title)s") % {"title": source.title},
            "source": source,
            "original": source,
            "marked_text": render_marked_text(source.body, spans, backlinks=False),
            "length": len(source.body),
            "citations": citations,
            "form": form,
            "media": self.media + form.media,
            "new_quote_url": user.has_perm("negotiations.add_quote")
            and reverse("admin:negotiations_quote_add"),
            "new_claim_url": user.has_perm("negotiations.add_claim")
            and reverse("admin:negotiations_claim_add"),
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[source.pk]
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.cite_template, context)

    def add_to_existing(self, request, source, form):
        """Open the chosen record's form with the selected passage; None to show the page
        again, with the reason."""
        try:
            passage = selection.from_query(
                request.GET["cite"], type(source).objects.filter(pk=source.pk)
            )
        except selection.SelectionError as refusal:
            messages.error(request, str(refusal))
            return None
        if not form.is_valid():
            for error in form.non_field_errors():
                messages.error(request, error)
            return None
        return HttpResponseRedirect(
            self.record_url(form.cleaned_data["record"]) + cite_query(passage)
        )

    def record_url(self, record):
        opts = record._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])

    @admin.display(description=_("Cite from the text"))
    def cite_link(self, source):
        if source is None or source.pk is None:
            return _("Save the source first; then select passages of its text to cite them.")
        return format_html(
            '<a href="{}" class="cite-from-text">{}</a>',
            self.cite_url(source),
            _("Cite from the text: select passages to cite them"),
        )

    @admin.display(description=_("cite"))
    def cite_column(self, source):
        return format_html('<a href="{}">{}</a>', self.cite_url(source), _("Cite from the text"))
