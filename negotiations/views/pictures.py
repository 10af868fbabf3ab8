"""The pictures' own pages: the tariff-rate chart and the issue × round matrix (the rounds
timeline lives on home and /rounds/), each also as ?format=json and ?format=csv of what it
draws. The drawing is ``negotiations.pictures``; the reads are QuerySet methods."""

from django.views.generic import TemplateView

from ..exports import ExportMixin
from ..models import TARIFF_SERIES, AgendaItem, Claim
from ..pictures import matrix, tariffs


class TariffRateChartView(ExportMixin, TemplateView):
    """templates/negotiations/tariff_chart.html: ``chart`` (``pictures.tariffs.Chart``, or
    None). One query per series."""

    template_name = "negotiations/tariff_chart.html"
    export_name = "tariff-rates"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claims = {
            series: Claim.objects.for_tariff_series(series, limit=tariffs.LIMIT + 1)
            for series in TARIFF_SERIES
        }
        context["chart"] = tariffs.build(claims)
        context["limit"] = tariffs.LIMIT
        return context

    def get_json_data(self, context):
        chart = context["chart"]
        results = [
            {
                "series": point.series,
                "url": point.url,
                "claim": point.text,
                "value": point.value_display,
                "qualifier": point.qualifier,
                "as_of": point.as_of,
                "status": point.status,
            }
            for point in (chart.rows if chart else [])
        ]
        return {"count": len(results), "results": results}

    def get_csv_rows(self, context):
        return self.get_json_data(context)["results"]


class IssuesByRoundView(ExportMixin, TemplateView):
    """templates/negotiations/issues_by_round.html: ``matrix`` (``pictures.matrix.Matrix``, or
    None). One query."""

    template_name = "negotiations/issues_by_round.html"
    export_name = "issues-by-round"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["matrix"] = matrix.build(AgendaItem.objects.for_matrix())
        return context

    def get_json_data(self, context):
        grid = context["matrix"]
        results = []
        for row in grid.rows if grid else []:
            for column, cell in zip(grid.columns, row.cells, strict=True):
                if cell is not None:
                    results.append(
                        {
                            "issue": row.title,
                            "issue_url": row.url,
                            "round": column.title,
                            "round_url": column.url,
                            "status": cell.status,
                            "citations": cell.citations,
                            "url": cell.url,
                        }
                    )
        return {"count": len(results), "results": results}

    def get_csv_rows(self, context):
        return self.get_json_data(context)["results"]
