"""Close wordings on the quote form: while an editor types a quote, the form asks
``close-wordings/`` (JSON, staff with a right to quotes) for the speaker's recorded quotes whose
words closely match (``negotiations.close_wordings``), shows them with the word diff
(``static/js/close-wordings.js``), and offers to put the new quote in the same statement.

Choosing a recorded quote that has a statement fills the form's statement field (the browser
does it). Choosing one without a statement fills the hidden ``group_with`` field, and the save
groups both in a new statement (``services.statements``), in the save's transaction. Without
JavaScript nothing of this shows, and the form saves as before.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import close_wordings
from ..models import Official, Quote
from ..services import statements
from ..versioning import VersionGuardForm

GROUP_WITH = "group_with"


class CloseWordingsQuery(forms.Form):
    """The endpoint's GET parameters, each refused with a message that says what to send."""

    speaker = forms.ModelChoiceField(
        queryset=Official.objects.all(),
        error_messages={
            "required": gettext_lazy("Choose the speaker first (parameter “speaker”)."),
            "invalid_choice": gettext_lazy(
                "No official has this id (parameter “speaker”, an official’s number)."
            ),
        },
    )
    text = forms.CharField(
        required=False,
        strip=False,
        max_length=close_wordings.MAX_LENGTH,
        error_messages={
            "max_length": gettext_lazy(
                "The text is too long to compare: at most %(limit_value)d characters."
            )
        },
    )
    exclude = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": gettext_lazy("“exclude” must be a quote’s number.")},
    )


class GroupingForm(VersionGuardForm):
    """The quote form, with the recorded quote chosen to share a statement with (hidden, filled
    by the close-wordings panel)."""

    group_with = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        chosen = (cleaned.get(GROUP_WITH) or "").strip()
        cleaned[GROUP_WITH] = None
        if not chosen:
            return cleaned
        other = None
        if chosen.isdigit():
            other = Quote.objects.select_related("speaker").filter(pk=int(chosen)).first()
        if other is None:
            self.add_error(
                None,
                _("The quote chosen to share a statement with no longer exists: choose again."),
            )
            return cleaned
        speaker, statement = cleaned.get("speaker"), cleaned.get("statement")
        if self.instance.pk == other.pk:
            self.add_error(None, _("A quote cannot share a statement with itself."))
        elif speaker is not None and speaker.pk != other.speaker_id:
            self.add_error(
                None,
                _(
                    "Quote #%(id)d, chosen to share a statement with this one, is by %(other)s: "
                    "wordings of one statement have one speaker."
                )
                % {"id": other.pk, "other": other.speaker.name},
            )
        elif statement is not None and statement.pk != other.statement_id:
            self.add_error(
                "statement",
                _(
                    "You chose a statement and also quote #%(id)d to share one with: keep one "
                    "(clear the statement, or choose the quote’s again)."
                )
                % {"id": other.pk},
            )
        else:
            cleaned[GROUP_WITH] = other
        return cleaned


class CloseWordingsAdmin:
    """For the quote admin: the close-wordings endpoint, the hidden ``group_with`` field, and the
    grouping on save."""

    form = GroupingForm

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/close-wordings.js"], css={"all": ["css/close-wordings.css"]}
        )

    def get_urls(self):
        opts = self.opts
        view = self.admin_site.admin_view(self.close_wordings_view)
        name = f"{opts.app_label}_{opts.model_name}_close_wordings"
        return [path("close-wordings/", view, name=name), *super().get_urls()]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if GROUP_WITH in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], GROUP_WITH]}), *rest]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "text" in form.base_fields:
            url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_close_wordings")
            attrs = form.base_fields["text"].widget.attrs
            attrs["data-close-wordings"] = url
            if obj is not None:
                attrs["data-close-wordings-exclude"] = obj.pk
        return form

    def close_wordings_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        query = CloseWordingsQuery(request.GET)
        if not query.is_valid():
            message = " ".join(str(e) for errors in query.errors.values() for e in errors)
            return JsonResponse({"error": message}, status=400)
        speaker = query.cleaned_data["speaker"]
        found = close_wordings.close_wordings(
            speaker=speaker,
            text=query.cleaned_data["text"],
            exclude=query.cleaned_data["exclude"],
        )
        return JsonResponse(
            {
                "speaker": {"id": speaker.pk, "name": speaker.name},
                "matches": [self._close_wording_json(close) for close in found],
            }
        )

    def _close_wording_json(self, close):
        quote, statement = close.quote, close.quote.statement
        kinds = {"same": "same", "only_here": "added", "only_there": "removed"}
        opts = self.opts
        return {
            "id": quote.pk,
            "text": quote.text,
            "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote.pk]),
            "published": quote.is_published,
            "likeness": round(close.likeness.ratio, 2),
            "covered": round(close.likeness.covered, 2),
            "diff": [{"text": piece.text, "kind": kinds[piece.kind]} for piece in close.pieces],
            "notes": close.notes,
            "statement": None
            if statement is None
            else {
                "id": statement.pk,
                "summary": statement.summary,
                "url": reverse(f"admin:{opts.app_label}_statement_change", args=[statement.pk]),
            },
        }

    def save_model(self, request, obj, form, change):
        other = form.cleaned_data.get(GROUP_WITH)
        if other is None:
            return super().save_model(request, obj, form, change)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if getattr(request, "held_for_review", None) is not None:
                # An editor's change to a published quote waits for a reviewer, the choice of
                # a statement with it: the approval replays this form, grouping then.
                return
            grouping = statements.group_wordings(quote=obj, other=other, user=request.user)
        self._tell_grouping(request, grouping)

    def _tell_grouping(self, request, grouping):
        statement, other = grouping.statement, grouping.other
        link = format_html(
            '<a href="{}">{}</a>',
            reverse("admin:negotiations_statement_change", args=[statement.pk]),
            statement.summary,
        )
        if not grouping.created:
            messages.success(
                request,
                format_html(_("Put in the statement “{}”, with quote #{}."), link, other.pk),
            )
        elif grouping.proposed is None:
            messages.success(
                request,
                format_html(
                    _(
                        "Put in a new draft statement with quote #{}: “{}”. Its summary is the "
                        "earlier wording: reword it in neutral words."
                    ),
                    other.pk,
                    link,
                ),
            )
        else:
            messages.warning(
                request,
                format_html(
                    _(
                        "Put in a new draft statement: “{}”. Quote #{} is published: putting it "
                        "in this statement too is a change to a published record, kept for a "
                        'reviewer to approve (<a href="{}">the proposed change</a>).'
                    ),
                    link,
                    other.pk,
                    reverse("admin:negotiations_pendingchange_change", args=[grouping.proposed.pk]),
                ),
            )
