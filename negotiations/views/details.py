"""One record's page: thin views over the published QuerySets, each also as ?format=json."""

from django.db.models import Prefetch
from django.http import JsonResponse
from django.views.generic import DetailView

from .. import serializers
from ..highlight import Span, render_marked_text, text_fragment
from ..models import (
    AgendaItem,
    Citation,
    Claim,
    Official,
    Participant,
    PublicationState,
    Quote,
    Round,
    Source,
    Stance,
    StickingPoint,
)
from ..wording import material_differences, word_diff
from .exports import ExportMixin, csv_response
from .lists import public_agenda_items, public_citations, public_participants

PUBLISHED = PublicationState.PUBLISHED


def published_quotes(lookup="quotes"):
    return Prefetch(lookup, queryset=Quote.objects.published().for_display())


def published_claims(lookup="claims"):
    return Prefetch(lookup, queryset=Claim.objects.published().for_display())


class PublicDetailView(ExportMixin, DetailView):
    """A published record by slug or id; an unknown or draft one is the site's 404 page.

    Staff may preview a draft: the page then carries a draft banner (``draft_preview``).
    """

    serializer = None

    def get_queryset(self):
        if self.request.user.is_staff:
            return self.model.objects.all()
        return self.model.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["draft_preview"] = not self.object.is_published
        return context

    def get_json(self, context):
        return self.serializer(self.object)

    def render_to_response(self, context, **response_kwargs):
        if self.format == "json":
            return JsonResponse(self.get_json(context), json_dumps_params={"ensure_ascii": False})
        if self.format == "csv":
            return csv_response([self.get_json(context)], self.export_name)
        return super().render_to_response(context, **response_kwargs)


class RoundDetailView(PublicDetailView):
    """templates/negotiations/round_detail.html: participants by side, agenda, evidence, sources."""

    model = Round
    serializer = staticmethod(serializers.round_data)
    export_name = "round"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                public_participants(),
                public_agenda_items(),
                public_citations("agenda_items__citations"),
                published_quotes(),
                published_claims(),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = (
            Source.objects.published().cited_in_round(self.object).select_related("outlet")
        )
        return context

    def get_json(self, context):
        data = serializers.round_data(self.object)
        data["quotes"] = [serializers.quote_data(q) for q in self.object.quotes.all()]
        data["claims"] = [serializers.claim_data(c) for c in self.object.claims.all()]
        data["sources"] = [s.slug for s in context["sources"]]
        return data


class IssueDetailView(PublicDetailView):
    """templates/negotiations/issue_detail.html: the issue round by round, then its evidence."""

    model = StickingPoint
    template_name = "negotiations/issue_detail.html"
    context_object_name = "issue"
    serializer = staticmethod(serializers.issue_data)
    export_name = "issue"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_counts()
            .prefetch_related(
                Prefetch(
                    "agenda_items",
                    queryset=AgendaItem.objects.filter(round__state=PUBLISHED)
                    .select_related("round", "sticking_point")
                    .order_by("round__start_on", "round__title")
                    .prefetch_related(public_citations()),
                    to_attr="round_history",
                ),
                published_quotes(),
                published_claims(),
            )
        )

    def get_json(self, context):
        data = serializers.issue_data(self.object)
        data["history"] = [serializers.agenda_item_data(item) for item in self.object.round_history]
        data["quotes"] = [serializers.quote_data(q) for q in self.object.quotes.all()]
        data["claims"] = [serializers.claim_data(c) for c in self.object.claims.all()]
        return data


class OfficialDetailView(PublicDetailView):
    """templates/negotiations/official_detail.html: positions, rounds attended, quotes."""

    model = Official
    serializer = staticmethod(serializers.official_data)
    export_name = "official"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "positions",
                Prefetch(
                    "participations",
                    queryset=Participant.objects.filter(round__state=PUBLISHED)
                    .select_related("round")
                    .order_by("round__start_on"),
                ),
                published_quotes(),
            )
        )

    def get_json(self, context):
        data = serializers.official_data(self.object)
        data["rounds"] = [
            {"round": p.round.slug, "side": p.side, "role": p.role}
            for p in self.object.participations.all()
        ]
        data["quotes"] = [serializers.quote_data(q) for q in self.object.quotes.all()]
        return data


class QuoteDetailView(PublicDetailView):
    """templates/negotiations/quote_detail.html: the quote, its citations and its variants."""

    model = Quote
    serializer = staticmethod(serializers.quote_data)
    export_name = "quote"

    def get_queryset(self):
        return super().get_queryset().for_display()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quote = self.object
        context["variants"] = (
            Quote.objects.published()
            .filter(statement=quote.statement_id)
            .exclude(pk=quote.pk)
            .for_display()
            if quote.statement_id
            else Quote.objects.none()
        )
        context["comparisons"] = [
            {
                "variant": variant,
                "pieces": word_diff(quote.text, variant.text),
                "notes": material_differences(quote.text, variant.text),
            }
            for variant in context["variants"]
        ]
        return context

    def get_json(self, context):
        data = serializers.quote_data(self.object)
        data["variants"] = [
            {**serializers.quote_data(c["variant"]), "differences": c["notes"]}
            for c in context["comparisons"]
        ]
        return data


class ClaimDetailView(PublicDetailView):
    """templates/negotiations/claim_detail.html: supporting, disputing and other citations."""

    model = Claim
    serializer = staticmethod(serializers.claim_data)
    export_name = "claim"

    def get_queryset(self):
        return super().get_queryset().for_display()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        citations = list(self.object.citations.all())
        context["citation_groups"] = [
            (label, [c for c in citations if c.stance == stance])
            for stance, label in Stance.choices
        ]
        return context


class SourceDetailView(PublicDetailView):
    """templates/negotiations/source_detail.html: metadata and the stored text, passages marked."""

    model = Source
    export_name = "source"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("outlet")
            .prefetch_related(
                Prefetch("derived_from", queryset=Source.objects.published()),
                Prefetch("derivatives", queryset=Source.objects.published()),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        citations = list(
            Citation.objects.filter(source=source).with_published_target().order_by("start", "pk")
        )
        for citation in citations:
            citation.source = source  # already loaded: no query per citation for its body
        anchored = [c for c in citations if c.is_anchored]
        context["citations"] = citations
        context["broken_citations"] = [c for c in citations if not c.is_anchored]
        context["marked_body"] = render_marked_text(
            source.body,
            [
                Span(c.pk, c.start, c.end, c.target.get_absolute_url(), citation_label(c), c.stance)
                for c in anchored
            ],
        )
        if source.url:
            for citation in citations:
                citation.original_link = source.url + text_fragment(citation.exact)
        return context

    def get_json(self, context):
        data = serializers.source_data(self.object, with_body=True)
        data["citations"] = [serializers.citation_data(c) for c in context["citations"]]
        return data


def citation_label(citation):
    if citation.quote_id:
        return f"quote by {citation.quote.speaker.name}"
    if citation.claim_id:
        return "claim"
    return f"{citation.agenda_item.sticking_point.name} at {citation.agenda_item.round.title}"
