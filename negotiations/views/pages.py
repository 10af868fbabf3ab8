"""Home, search and the integrity report."""

from collections import Counter

from django.views.generic import TemplateView

from ..exports import ExportMixin
from ..filters import SearchForm
from ..models import (
    CLAIM_STATUS_EXPLANATIONS,
    VERIFICATION_EXPLANATIONS,
    Citation,
    Claim,
    ClaimStatus,
    Official,
    Quote,
    Round,
    Source,
    StickingPoint,
    Verification,
)


class HomeView(TemplateView):
    """templates/negotiations/home.html: what is new, the rounds timeline, issues with counts."""

    template_name = "negotiations/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        newest = ("-created_at", "-id")
        context["rounds"] = Round.objects.published().chronological()
        context["issues"] = StickingPoint.objects.published().with_counts()
        context["latest_quotes"] = Quote.objects.published().for_display().order_by(*newest)[:5]
        context["latest_claims"] = Claim.objects.published().for_display().order_by(*newest)[:5]
        context["latest_sources"] = (
            Source.objects.published().select_related("outlet").order_by(*newest)[:5]
        )
        return context


SEARCH_LIMIT = 20


class SearchView(ExportMixin, TemplateView):
    """templates/negotiations/search.html: every record type whose text holds all the words, as
    ``groups`` of (type, up to SEARCH_LIMIT records, whether there are more)."""

    template_name = "negotiations/search.html"
    export_name = "search"
    # (group, model, relations its title needs)
    GROUPS = [
        ("rounds", Round, []),
        ("issues", StickingPoint, []),
        ("officials", Official, []),
        ("quotes", Quote, ["speaker"]),
        ("claims", Claim, []),
        ("sources", Source, ["outlet"]),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        groups = []
        if query.split():
            for name, model, related in self.GROUPS:
                found = model.objects.published().matching(query)
                if related:
                    found = found.select_related(*related)
                found = list(found[: SEARCH_LIMIT + 1])
                groups.append((name, found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT))
        context.update(form=form, query=query, groups=groups, total=sum(len(g[1]) for g in groups))
        return context

    def input_errors(self, context):
        form = context["form"]
        return [message for messages in form.errors.values() for message in messages]

    def get_csv_rows(self, context):
        return [
            {"type": name, "url": record.get_absolute_url(), "title": str(record)}
            for name, records, _more in context["groups"]
            for record in records
        ]

    def get_json_data(self, context):
        results = self.get_csv_rows(context)
        return {"count": len(results), "results": results}


class IntegrityView(TemplateView):
    """templates/negotiations/integrity.html: verdict and status counts, unverified quotes,
    disputed claims and broken anchors, each linking to the record."""

    template_name = "negotiations/integrity.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quotes = Quote.objects.published()
        verdicts = Counter(quotes.values_list("verification", flat=True))
        context["verdict_counts"] = [
            (v, verdicts.get(v.value, 0), VERIFICATION_EXPLANATIONS[v]) for v in Verification
        ]
        context["unverified_quotes"] = quotes.filter(
            verification=Verification.UNVERIFIED
        ).for_display()
        claims = list(Claim.objects.published().for_display())
        statuses = Counter(claim.status for claim in claims)
        context["status_counts"] = [
            (s, statuses.get(s.value, 0), CLAIM_STATUS_EXPLANATIONS[s]) for s in ClaimStatus
        ]
        context["disputed_claims"] = [c for c in claims if c.status == ClaimStatus.DISPUTED]
        context["broken_citations"] = [
            citation
            for citation in Citation.objects.public().with_published_target()
            if not citation.is_anchored
        ]
        return context
