"""One record's page: each view chooses its QuerySet; the page's JSON shape is in serializers.

An unknown or draft record is the site's 404 page; staff may preview a draft, under a banner.
"""

from django.views.generic import DetailView

from .. import annotations, citation_styles, citing, evidence, metadata, revisions, serializers
from ..exports import CITATION_FORMATS, ExportMixin
from ..models import Claim, Official, Quote, Round, Source, StickingPoint
from ..wording import compare


class PublicDetailView(ExportMixin, DetailView):
    """A published record by slug or id, as HTML or ?format=json (csv: one row).

    Templates receive the record, ``draft_preview`` and ``record_version``: the version being
    read, with its permanent link and the record's public history (``revisions``), or None
    where there is no public version to link to (a draft; a record written in bulk, which has
    no history).
    """

    serializer = None
    formats = ("html", "json", "csv", *CITATION_FORMATS)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["draft_preview"] = not self.object.is_published
        kind = revisions.KIND_OF[self.model]
        number = revisions.current_public_version(self.object)
        context["record_version"] = number and {
            "number": number,
            "url": kind.version_url(self.object, number),
            "history_url": kind.history_url(self.object),
        }
        context["meta"] = metadata.record_meta(self.request, self.object)
        if self.format == "html":
            context["cite"] = self.cite_section()
        return context

    def get_json_data(self, context):
        return self.serializer(self.object)

    def export_filename(self):
        return f"{self.export_name}-{getattr(self.object, 'slug', None) or self.object.pk}"

    def get_citation_items(self, context=None):
        """The record's CSL items (``citing``), from what the page has read already."""
        url = self.request.build_absolute_uri(self.object.get_absolute_url())
        return self.citation_items(url=url)

    def citation_items(self, *, url):
        title = getattr(self.object, "title", None) or self.object.name
        return [citing.record_page_item(self.object, title, url=url)]

    def cite_section(self):
        """What templates/includes/cite.html shows: the references in APA and Chicago, rendered
        from the record's CSL items, and the download links."""
        items = self.get_citation_items()
        return {
            "styles": [
                {"name": citation_styles.STYLE_NAMES[name], "key": name, "references": refs}
                for name in citation_styles.STYLES
                for refs in [citation_styles.references(items, name)]
            ],
            "count": len(items),
        }


class RoundDetailView(PublicDetailView):
    """templates/negotiations/round_detail.html: participants by side, agenda, and the first
    of its ``quotes``, ``claims`` and the ``sources`` cited (``evidence.Evidence``)."""

    model = Round
    export_name = "round"

    def get_queryset(self):
        return super().get_queryset().for_display().with_evidence_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # with_evidence_counts() has read them already, kept on write (models.facets).
        round_ = self.object
        context["quotes"] = evidence.quotes("round", round_, count=round_.quote_count)
        context["claims"] = evidence.claims("round", round_, count=round_.claim_count)
        context["sources"] = evidence.round_sources(round_, count=round_.source_count)
        return context

    def get_json_data(self, context):
        return serializers.round_page_data(
            self.object,
            quotes=context["quotes"],
            claims=context["claims"],
            sources=context["sources"],
        )


class IssueDetailView(PublicDetailView):
    """templates/negotiations/issue_detail.html: the issue round by round, then the first of its
    ``quotes`` and ``claims`` (``evidence.Evidence``)."""

    model = StickingPoint
    template_name = "negotiations/issue_detail.html"
    context_object_name = "issue"
    export_name = "issue"

    def get_queryset(self):
        return super().get_queryset().with_counts().with_record()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # with_counts() has read them already, kept on write (models.facets).
        issue = self.object
        context["quotes"] = evidence.quotes("issue", issue, count=issue.quote_count)
        context["claims"] = evidence.claims("issue", issue, count=issue.claim_count)
        # Whether the tariff-rate chart draws any of its claims, which the page then links to.
        context["charted"] = (
            Claim.objects.published().charted().filter(sticking_points=issue).exists()
        )
        return context

    def get_json_data(self, context):
        return serializers.issue_page_data(
            self.object, quotes=context["quotes"], claims=context["claims"]
        )


class OfficialDetailView(PublicDetailView):
    """templates/negotiations/official_detail.html: positions, rounds attended, and the first of
    their ``quotes`` (``evidence.Evidence``)."""

    model = Official
    export_name = "official"

    def get_queryset(self):
        return super().get_queryset().with_record().with_quote_count()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        official = self.object
        context["quotes"] = evidence.quotes("speaker", official, count=official.quote_count)
        return context

    def get_json_data(self, context):
        return serializers.official_page_data(self.object, quotes=context["quotes"])


class QuoteDetailView(PublicDetailView):
    """templates/negotiations/quote_detail.html: the quote, its citations, and ``comparisons``
    with each other published wording of its statement."""

    model = Quote
    export_name = "quote"

    def get_queryset(self):
        return super().get_queryset().for_display()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Other wordings are shown under their statement, and only when it is published.
        variants = Quote.objects.published().variants_of(self.object).for_display()
        shown = self.object.public_statement is not None
        context["comparisons"] = (
            [compare(self.object, variant) for variant in variants] if shown else []
        )
        return context

    def get_json_data(self, context):
        return serializers.quote_page_data(self.object, comparisons=context["comparisons"])

    def citation_items(self, *, url):
        return citing.quote_items(self.object, url=url)


class ClaimDetailView(PublicDetailView):
    """templates/negotiations/claim_detail.html: supporting, disputing and other citations."""

    model = Claim
    serializer = staticmethod(serializers.claim_data)
    export_name = "claim"

    def get_queryset(self):
        return super().get_queryset().for_display()

    def citation_items(self, *, url):
        return citing.claim_items(self.object, url=url)


class SourceDetailView(PublicDetailView):
    """templates/negotiations/source_detail.html: metadata and the stored text with every
    passage of a published record marked (``citations``); as JSON-LD (``Accept:
    application/ld+json`` or ?format=annotations), those passages' AnnotationCollection."""

    model = Source
    export_name = "source"
    formats = ("html", "json", "csv", *CITATION_FORMATS, "annotations")

    def get(self, request, *args, **kwargs):
        if self.format == "annotations":  # the collection alone: no page to compute
            self.object = self.get_object()
            return self.render_to_response({})
        return super().get(request, *args, **kwargs)

    def render_annotations(self, context):
        collection = annotations.source_collection(self.object, self.request)
        return annotations.collection_response(collection, self.request.GET)

    def get_queryset(self):
        return super().get_queryset().for_display()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Through the source's own manager: each citation's source is this very instance.
        citations = self.object.citations.with_published_target().in_text_order()
        context["citations"] = list(citations)
        return context

    def get_json_data(self, context):
        return serializers.source_page_data(self.object, citations=context["citations"])

    def citation_items(self, *, url):
        return [citing.source_item(self.object)]
