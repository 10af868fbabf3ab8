"""Home, search, the integrity report and robots.txt; home, search and the integrity report
also as ?format=json (search as CSV too)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.views.generic import TemplateView

from .. import metadata, search, serializers
from ..exports import ExportMixin
from ..filters import SearchForm
from ..models import (
    CLAIM_STATUS_EXPLANATIONS,
    VERIFICATION_EXPLANATIONS,
    Citation,
    Claim,
    ClaimStatus,
    FacetCount,
    Quote,
    Round,
    Source,
    StickingPoint,
    Verification,
)
from ..pictures import timeline
from ..search import count_up_to
from ..search.groups import search_groups, total_of


class HomeView(ExportMixin, TemplateView):
    """templates/negotiations/home.html: what is new, the rounds timeline, issues with counts;
    ?format=json gives the same (``serializers.home_data``)."""

    template_name = "negotiations/home.html"
    formats = ("html", "json")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Newest first. Claims have an index on (state, created_at, id); quotes and sources
        # none on created_at, so they are taken in the order they were written (id): five rows
        # read from the primary key's index instead of every published row sorted.
        newest = ("-created_at", "-id")
        # The timeline draws every published round: one query, only the columns it draws.
        context["timeline"] = timeline.build(Round.objects.published().for_timeline())
        # Their quote and claim counts are kept on write (models.facets): read, not counted.
        context["issues"] = StickingPoint.objects.published().with_counts()
        context["latest_quotes"] = Quote.objects.published().for_list().order_by("-id")[:5]
        context["latest_claims"] = Claim.objects.published().for_list().order_by(*newest)[:5]
        context["latest_sources"] = (
            Source.objects.published().select_related("outlet").defer("body").order_by("-id")[:5]
        )
        context["meta"] = metadata.page_meta(self.request, "US–China trade negotiations")
        return context

    def get_json_data(self, context):
        return serializers.home_data(
            # The timeline's rounds, in the JSON's shape (the page draws them from the columns
            # it needs: ``for_timeline``).
            rounds=Round.objects.published().chronological(),
            issues=context["issues"],
            latest_quotes=context["latest_quotes"],
            latest_claims=context["latest_claims"],
            latest_sources=context["latest_sources"],
        )


class SearchView(ExportMixin, TemplateView):
    """templates/negotiations/search.html: the published records matching the words, by type
    (``search.groups``). Context: ``form``, ``query``, ``groups`` (each type's count, honest
    beyond ``count_limit``, its best results with highlighted snippets, and the link to its
    full list filtered by the same words) and ``total``. A fixed number of queries: two per
    type that has matches."""

    template_name = "negotiations/search.html"
    export_name = "search"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        groups = search_groups(query) if query.split() else []
        context.update(
            form=form,
            query=query,
            groups=groups,
            total=total_of(groups),
            count_limit=search.count_limit(),
            searchable=search.parse(query) is not None,
            meta=metadata.page_meta(
                self.request,
                f"Search: {query}" if query else "Search",
                path=self.request.path + (f"?{urlencode({'q': query})}" if query else ""),
            ),
        )
        return context

    def input_errors(self, context):
        form = context["form"]
        return [message for messages in form.errors.values() for message in messages]

    def get_csv_rows(self, context):
        return [
            {
                "type": group.name,
                "url": result.record.get_absolute_url(),
                "title": str(result.record),
                "snippet": result.snippet_text,
            }
            for group in context["groups"]
            for result in group.results
        ]

    def get_json_data(self, context):
        results = self.get_csv_rows(context)
        total = context["total"]
        return {
            "count": len(results),
            "total": total.count,
            "total_is_lower_bound": total.more_than_counted,
            "groups": [
                {
                    "type": group.name,
                    "count": group.count,
                    "count_is_lower_bound": group.more_than_counted,
                    "ranked_among": group.ranked_among,
                    "list_url": group.list_url,
                }
                for group in context["groups"]
            ],
            "results": results,
        }


class IntegrityView(ExportMixin, TemplateView):
    """templates/negotiations/integrity.html: verdict and status counts, unverified quotes,
    disputed claims and broken anchors, each linking to the record; ?format=json gives the
    same (``serializers.integrity_data``)."""

    template_name = "negotiations/integrity.html"
    formats = ("html", "json")

    # Each list shows its first SHOWN records and its true count (kept on write), with the link
    # to the whole of it: the page costs the same at a million quotes as at ten.
    SHOWN = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kept = FacetCount.objects
        context["verdict_counts"] = [
            (
                v,
                kept.total("quote", facet="verification", value=v.value),
                VERIFICATION_EXPLANATIONS[v],
            )
            for v in Verification
        ]
        context["status_counts"] = [
            (s, kept.total("claim", facet="status", value=s.value), CLAIM_STATUS_EXPLANATIONS[s])
            for s in ClaimStatus
        ]
        unverified = dict((v.value, n) for v, n, _e in context["verdict_counts"])
        context["unverified_quotes"] = (
            Quote.objects.published()
            .filter(verification=Verification.UNVERIFIED)
            .for_display()[: self.SHOWN]
        )
        context["unverified_count"] = unverified[Verification.UNVERIFIED]
        disputed = dict((s.value, n) for s, n, _e in context["status_counts"])
        context["disputed_claims"] = (
            Claim.objects.published()
            .filter(status=ClaimStatus.DISPUTED)
            .for_display()[: self.SHOWN]
        )
        context["disputed_count"] = disputed[ClaimStatus.DISPUTED]
        # Citations not anchored exactly (found only approximately, or lost), as derivation
        # keeps their status whenever a source's text or a citation changes; a partial index
        # holds just these.
        astray = Citation.objects.public().with_published_target().not_anchored()
        context["broken_citations"] = list(astray.order_by("id")[: self.SHOWN])
        context["broken_count"] = count_up_to(astray, 10_000)
        context["meta"] = metadata.page_meta(
            self.request,
            "Integrity report",
            "Unverified quotes, disputed claims and broken anchors: where the record's "
            "evidence does not hold, and why.",
        )
        return context

    def get_json_data(self, context):
        return serializers.integrity_data(context)


class RobotsView(TemplateView):
    """templates/robots.txt: crawlers are welcome on the public pages, pointed at the sitemap
    (``sitemap_url``, absolute as the protocol asks), and kept out of the admin."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sitemap_url"] = self.request.build_absolute_uri(reverse("negotiations:sitemap"))
        return context
