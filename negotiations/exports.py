"""The representations every public page offers: ?format=json and ?format=csv beside the HTML.

``ExportMixin.render_to_response`` is the one place a format is chosen; a view says what its
JSON is (``get_json_data``) and, where it differs, what its CSV rows are (``get_csv_rows``).
"""

import csv

from django.contrib import messages
from django.http import HttpResponse, JsonResponse

from .serializers import flatten

FORMATS = ("html", "json", "csv")
# Cells a spreadsheet would run as a formula; prefixed with an apostrophe when exported.
FORMULA_PREFIXES = ("=", "+", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_response(rows, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    flat = [flatten(row) for row in rows]
    columns = list(dict.fromkeys(key for row in flat for key in row))
    writer = csv.DictWriter(response, fieldnames=columns)
    writer.writeheader()
    for row in flat:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return response


class ExportMixin:
    """Chooses the representation from ?format=; an unknown format is a 400 with a message."""

    export_name = "records"

    @property
    def format(self):
        return self.request.GET.get("format", "html") or "html"

    def dispatch(self, request, *args, **kwargs):
        if self.format not in FORMATS:
            messages.error(
                request,
                f"There is no format “{self.format}”. Choose json or csv, or leave format out "
                "for this page.",
            )
            response = self.get_unknown_format_response(request, *args, **kwargs)
            response.status_code = 400
            return response
        return super().dispatch(request, *args, **kwargs)

    def get_unknown_format_response(self, request, *args, **kwargs):
        query = request.GET.copy()
        query.pop("format")
        request.GET = query
        return super().dispatch(request, *args, **kwargs)

    def get_json_data(self, context):
        raise NotImplementedError

    def get_csv_rows(self, context):
        return [self.get_json_data(context)]

    def render_to_response(self, context, **response_kwargs):
        if self.format == "json":
            return JsonResponse(
                self.get_json_data(context), json_dumps_params={"ensure_ascii": False}
            )
        if self.format == "csv":
            return csv_response(self.get_csv_rows(context), self.export_name)
        return super().render_to_response(context, **response_kwargs)
