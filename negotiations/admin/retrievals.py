"""Importing a source from a web page in the admin: the import form (an address or a saved
page), the review step (the source's own add form, prefilled from the retrieval), and the
original as fetched, for download. SourceAdmin mounts these views (``get_urls``).

A failed import shows its reason in the import form and saves nothing; a page already imported
names the source it became instead of making a second one.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Retrieval
from ..services import imports

RETRIEVAL_PARAMETER = "retrieval"


class ImportForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("Address of the page (URL)"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"size": 80, "placeholder": "https://"}),
        help_text=gettext_lazy("The server fetches the page and keeps it as it was fetched."),
    )
    upload = forms.FileField(
        label=gettext_lazy("Or a saved web page (HTML file)"),
        required=False,
        help_text=gettext_lazy(
            "For a page the server cannot fetch (behind a login, on a private network): save "
            "it from your browser and upload the file."
        ),
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and "://" not in url and ":" not in url.split("/")[0]:
            url = "https://" + url  # "example.com/article" as typed in a browser's bar
        return url

    def clean(self):
        cleaned = super().clean()
        url, upload = cleaned.get("url"), cleaned.get("upload")
        if self.errors:
            return cleaned
        if not url and not upload:
            raise forms.ValidationError(_("Give the address of the page, or upload a saved page."))
        if url and upload:
            raise forms.ValidationError(_("Give either an address or a file, not both."))
        return cleaned


def import_view(model_admin, request):
    """The import form; a page imported goes on to the review form."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            outcome = imports.import_page(
                url=form.cleaned_data["url"],
                upload=form.cleaned_data["upload"],
                user=request.user,
            )
        except imports.ImportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            if isinstance(outcome, imports.Duplicate):
                form.add_error(None, duplicate_message(model_admin, outcome.source))
            else:
                add = reverse(f"admin:{_admin_name(model_admin)}_add")
                return HttpResponseRedirect(f"{add}?{RETRIEVAL_PARAMETER}={outcome.pk}")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Import a source from a web page"),
        "form": form,
        "has_view_permission": model_admin.has_view_permission(request),
    }
    return TemplateResponse(request, "admin/negotiations/source/import.html", context)


def duplicate_message(model_admin, source):
    change = reverse(f"admin:{_admin_name(model_admin)}_change", args=[source.pk])
    return format_html(
        '{} <a href="{}">{}</a>. {}',
        _("This page is already in the knowledge base as the source"),
        change,
        source.title,
        _("Nothing was imported: open that source to change it."),
    )


def original_view(model_admin, request, pk):
    """The page as it was retrieved, as a download (never shown as a page of this site)."""
    if not (request.user.is_staff and model_admin.has_view_permission(request)):
        raise PermissionDenied
    retrieval = get_object_or_404(Retrieval, pk=pk)
    response = HttpResponse(bytes(retrieval.content), content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f'attachment; filename="retrieval-{retrieval.pk}-{retrieval.sha256[:12]}.html"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def original_url(retrieval):
    return reverse("admin:negotiations_source_retrieval_original", args=[retrieval.pk])


def pending_retrieval(request):
    """The retrieval an add form under review comes from (``?retrieval=<id>``), if it is
    still unlinked; remembered on the request, which asks several times."""
    if not hasattr(request, "_import_retrieval"):
        value = request.GET.get(RETRIEVAL_PARAMETER, "")
        retrieval = None
        if value.isdigit() and len(value) <= 18:
            retrieval = Retrieval.objects.filter(pk=int(value)).select_related("source").first()
        request._import_retrieval = retrieval
    return request._import_retrieval


def describe(retrieval):
    """One line for the editor: where and when the page was taken, and the original."""
    if retrieval.uploaded_name:
        where = format_html("{} “{}”", _("Uploaded as the file"), retrieval.uploaded_name)
    else:
        where = format_html('{} <a href="{}">{}</a>', _("Fetched from"), *[retrieval.address] * 2)
    return format_html(
        '{} {} {} (<a href="{}" download>{}</a>, {} bytes, SHA-256 {}…).',
        where,
        _("at"),
        date_format(retrieval.retrieved_at, "DATETIME_FORMAT"),
        original_url(retrieval),
        _("download the original as retrieved"),
        f"{len(retrieval.content):,}",
        retrieval.sha256[:16],
    )


def announce_review(request, retrieval, article):
    """Tell the editor, on the review form, where the text came from and what to check."""
    messages.info(
        request,
        format_html(
            "{} {}",
            describe(retrieval),
            _("Review every field against the page, then save: the source is saved as a draft."),
        ),
    )
    for note in article.notes:
        messages.warning(request, note)


def _admin_name(model_admin):
    return f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"
