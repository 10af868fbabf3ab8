"""The quote checker's pages: ``/check/`` (the form, and the report of a text just checked; the
JSON API on the same address), a kept report (``/check/<key>/``, HTML or ?format=json) and its
compact summary for other sites to frame (``/check/<key>/embed/``).

The checking is the engine's (``negotiations.checking``), reading a request is
``check_requests``'s, keeping a report ``services.check_reports``'s, and what a report shows
``check_display``'s: the views choose which answer to give.
"""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import TemplateView

from .. import check_requests, checking, metadata
from ..check_display import ShownReport, embed_snippet, report_addresses
from ..exports import unavailable_format_response
from ..services import check_reports

FORMATS = ("html", "json")
API_HINT = 'POST the text to check as JSON, {"text": "…"}, or as the form field text=…'


def json_answer(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def robots_noindex(response):
    """A report is a reader's, not part of the record: never in a search engine's index (the
    header covers the JSON too; the pages also say so in their <head>)."""
    response["X-Robots-Tag"] = "noindex"
    return response


# The JSON API is exempt from CSRF: CSRF protects what a browser does with the visitor's
# credentials (a session, a login), and the API uses none. Checking a text, or keeping a report
# of it, gives a request forged from another site nothing the forger could not get by calling
# the API directly. The HTML form keeps Django's token (``dispatch``).
@method_decorator(csrf_exempt, name="dispatch")
class CheckView(TemplateView):
    """templates/negotiations/check.html: the form; after a POST, the text's report below it
    (``check_display.ShownReport``), and its permanent link when kept. A POST asking for JSON
    (``check_requests.wants_json``) gets ``checking.as_json``'s payload and ``report`` (its
    addresses, or null when not kept); a text that cannot be checked, 400 with ``errors``."""

    template_name = "negotiations/check.html"

    def dispatch(self, request, *args, **kwargs):
        asked = request.GET.get("format", "")
        if asked and asked not in FORMATS:
            return unavailable_format_response(asked, FORMATS)
        if check_requests.wants_json(request):
            return super().dispatch(request, *args, **kwargs)
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if check_requests.wants_json(request):
            response = json_answer({"errors": [API_HINT]}, status=405)
            response["Allow"] = "POST"
            return response
        return self.render_to_response(self.get_context_data(form=check_requests.CheckForm()))

    def post(self, request, *args, **kwargs):
        submitted = check_requests.read(request)
        payload = None
        if not submitted.errors:
            try:
                payload = checking.as_json(checking.check(submitted.text))
            except checking.CheckRefused as refusal:
                submitted.errors.append(str(refusal))
        api = check_requests.wants_json(request)
        if submitted.errors:
            if api:
                return json_answer({"errors": submitted.errors}, status=400)
            context = self.get_context_data(form=submitted.form, errors=submitted.errors)
            return self.render_to_response(context, status=400)
        kept = None
        if submitted.keep:
            kept = check_reports.keep(
                payload=payload, text=submitted.text, share_text=submitted.share_text
            )
        addresses = report_addresses(kept) if kept else None
        if api:
            return json_answer({**payload, "report": addresses})
        shown = ShownReport(payload, text=submitted.text, addresses=addresses)
        context = self.get_context_data(
            form=submitted.form,
            shown=shown,
            kept=kept,
            embed=embed_snippet(request, kept) if kept else "",
        )
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            max_characters=checking.MAX_CHARACTERS,
            max_quotations=checking.MAX_QUOTATIONS,
            verdicts=[
                {"label": label, "help": checking.VERDICT_HELP.get(name, "")}
                for name, label in checking.VERDICTS.items()
            ],
            meta=metadata.page_meta(
                self.request,
                "Check quotations",
                "Paste a draft: each quotation in it is looked up in the record, found "
                "verbatim, a variant, attributed to someone else, or not in the record.",
            ),
        )
        return context


class KeptReportMixin:
    """A kept report by its key; an unknown one is a 404 (JSON for ?format=json)."""

    def get(self, request, *args, **kwargs):
        self.report = check_reports.find(key=kwargs["key"])
        if self.report is None:
            if request.GET.get("format") == "json":
                message = "There is no report with this key (or it was deleted)."
                return robots_noindex(json_answer({"errors": [message]}, status=404))
            raise Http404("No such report")
        return robots_noindex(super().get(request, *args, **kwargs))

    def shown(self):
        report = self.report
        return ShownReport(
            report.findings,
            text=report.text if report.text_shared else None,
            addresses=report_addresses(report),
        )


class CheckReportView(KeptReportMixin, TemplateView):
    """templates/negotiations/check_report.html: a kept report as it was when checked, with the
    text when its author shared it, and the ``<iframe>`` to embed its summary elsewhere;
    ?format=json gives the payload with ``report`` (addresses), ``checked_at`` and ``text``
    (null unless shared)."""

    template_name = "negotiations/check_report.html"

    def dispatch(self, request, *args, **kwargs):
        asked = request.GET.get("format", "")
        if asked and asked not in FORMATS:
            return unavailable_format_response(asked, FORMATS)
        return super().dispatch(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("format") == "json":
            report = self.report
            return json_answer(
                {
                    **report.findings,
                    "report": report_addresses(report),
                    "checked_at": report.checked_at.isoformat(),
                    "text": report.text if report.text_shared else None,
                }
            )
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("format") == "json":
            return context
        context.update(
            kept=self.report,
            shown=self.shown(),
            embed=embed_snippet(self.request, self.report),
            meta=metadata.page_meta(
                self.request,
                "Quote check report",
                "What the quote checker found in a text: which quotations are in the record.",
            ),
        )
        return context


def frameable_policy():
    """The site's Content-Security-Policy, but framable by any site."""
    return {**settings.SECURE_CSP, "frame-ancestors": ["*"]}


@method_decorator(xframe_options_exempt, name="dispatch")
class CheckEmbedView(KeptReportMixin, TemplateView):
    """templates/negotiations/check_embed.html: a kept report's counts and a link to it, for
    other sites to frame (no X-Frame-Options, ``frame-ancestors *``); every other page keeps
    the site's own policy."""

    template_name = "negotiations/check_embed.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            response._csp_config = frameable_policy()  # read by Django's CSP middleware
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(kept=self.report, shown=self.shown())
        return context
