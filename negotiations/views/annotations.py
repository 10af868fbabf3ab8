"""Citations as W3C Web Annotations (``negotiations.annotations``): one citation's Annotation,
a source's stored text (what the annotations' offsets count in) and its AnnotationCollection.

The same collection is the JSON-LD of the source's page (``SourceDetailView``) and, per
filtered list, ``/quotes/?…&format=annotations`` and ``/claims/?…&format=annotations``."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.views import View

from .. import annotations
from ..exports import accept_choice
from ..models import Citation, Source


class CitationAnnotationView(View):
    """``/citations/<id>/``: the citation's Annotation (JSON-LD); a browser asking for HTML is
    sent to the passage on its source's page (``/sources/<slug>/#cite-<id>``). A citation of a
    draft record, or in a draft source, is not found."""

    def get(self, request, pk):
        citation = Citation.objects.public().with_published_target().filter(pk=pk).first()
        if citation is None:
            raise Http404("No such citation is public.")
        if accept_choice(request) == "html":
            answer = HttpResponseRedirect(citation.get_absolute_url(), status=303)
            patch_vary_headers(answer, ("Accept",))
            return answer
        return annotations.response(annotations.annotation(citation, request.build_absolute_uri))


class SourceTextView(View):
    """``/sources/<slug>/text/``: the source's stored text exactly as its citations' offsets
    count in it (``text[start:end] == exact``), as UTF-8 plain text."""

    def get(self, request, slug):
        source = get_object_or_404(
            Source.objects.visible_to(request.user).only("body", "state"), slug=slug
        )
        answer = HttpResponse(source.body, content_type="text/plain; charset=utf-8")
        answer["Content-Disposition"] = f'inline; filename="{slug}.txt"'
        return answer


class SourceAnnotationsView(View):
    """``/sources/<slug>/annotations/``: the AnnotationCollection of the passages the source's
    page marks, and its pages (``?page=1``, ``?page=last``, then each page's next and prev)."""

    def get(self, request, slug):
        source = get_object_or_404(
            Source.objects.published().defer("body").select_related("outlet"), slug=slug
        )
        collection = annotations.source_collection(source, request)
        return annotations.collection_response(collection, request.GET)
