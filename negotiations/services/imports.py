"""Importing a source from a web page: the page fetched (or uploaded) and kept as a retrieval,
its article extracted for the editor's review, the source already made from the same page
found, and, when the editor saves the reviewed source, the retrieval linked to it and the
proposed outlet created.

Nothing here saves a source: the editor does, through the source's form (a draft, as every
form saves it). A failed import saves nothing at all.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import extraction, fetching, page_addresses
from ..models import Outlet, Retrieval, Source


class ImportRefused(Exception):
    """An import that saved nothing, with the reason in an editor's words."""


@dataclass
class Duplicate:
    """The source a page was already imported as (or entered by hand with its address)."""

    source: Source
    url: str


def existing_source(*, urls):
    """The source already made from the page at any of ``urls``, or None.

    By the retrievals' indexed address keys (requested, final or canonical address, compared as
    ``page_addresses.page_key`` does), then by a source's own address in the spellings it may have
    been typed with."""
    digests = {page_addresses.key_digest(url) for url in urls if url} - {""}
    if not digests:
        return None
    retrieval = (
        Retrieval.objects.filter(source__isnull=False)
        .filter(
            Q(requested_key__in=digests) | Q(final_key__in=digests) | Q(canonical_key__in=digests)
        )
        .select_related("source")
        .order_by("pk")
        .first()
    )
    if retrieval is not None:
        return retrieval.source
    spellings = set().union(*(page_addresses.spellings(url) for url in urls if url))
    return Source.objects.filter(url__in=spellings).order_by("pk").first()


def import_page(*, url="", upload=None, user=None):
    """Fetch ``url`` (or read ``upload``, an uploaded file), extract its article and keep the
    retrieval. Returns the retrieval, or a ``Duplicate`` when the page is already a source;
    raises ``ImportRefused`` with nothing saved when it cannot be imported."""
    if url:
        found = existing_source(urls=[url])
        if found is not None:
            return Duplicate(source=found, url=url)
        try:
            page = fetching.fetch(url)
        except fetching.FetchError as refusal:
            raise ImportRefused(str(refusal)) from None
        content, final_url = page.content, page.final_url
    else:
        content = _read_upload(upload)
        final_url = extraction.saved_from(content)
        page = None
    try:
        article = extraction.extract(content, url=final_url)
    except extraction.ExtractionError as refusal:
        raise ImportRefused(str(refusal)) from None
    found = existing_source(urls=[url, final_url, article.canonical_url, article.url])
    if found is not None:
        return Duplicate(source=found, url=article.url or final_url or url)
    with transaction.atomic():
        return Retrieval.objects.create(
            requested_url=(page.requested_url if page else "")[:2000],
            uploaded_name=(getattr(upload, "name", "") or "")[:255] if upload else "",
            final_url=final_url[:2000],
            retrieved_at=page.retrieved_at if page else timezone.now(),
            retrieved_by=user if getattr(user, "pk", None) else None,
            http_status=page.status if page else None,
            content_type=page.content_type if page else getattr(upload, "content_type", "")[:200],
            content=content,
            extracted=article.as_json(),
            requested_key=page_addresses.key_digest(url),
            final_key=page_addresses.key_digest(final_url),
            canonical_key=page_addresses.key_digest(article.canonical_url),
        )


def _read_upload(upload):
    limit = fetching.max_bytes()
    if upload.size > limit:
        raise ImportRefused(
            _("The file is larger than %(limit)s: nothing was imported.")
            % {"limit": f"{limit:,} bytes"}
        )
    content = upload.read()
    head = content[:2048].lstrip().lower()
    if b"\x00" in content[:2048] or b"<" not in head:
        raise ImportRefused(
            _(
                "The file is not a saved web page (HTML): save the page from your browser as "
                "“Web page, HTML only” and upload that."
            )
        )
    return content


def review_initial(*, retrieval):
    """The source form's initial data from what was extracted: what the page says, nothing
    invented. Also the outlet proposed (an existing one, or a name to create on save)."""
    article = extraction.Article.from_json(retrieval.extracted)
    outlet = matching_outlet(name=article.site_name, url=article.url or retrieval.address)
    initial = {
        "title": article.title[:500],
        "slug": proposed_slug(title=article.title),
        "kind": "article",
        "url": article.url[:1000],
        "author": article.author[:300],
        "language": article.language,
        "published_on": article.published_on,
        "published_precision": article.published_precision,
        "body": article.body,
        "retrieved_on": retrieval.retrieved_at.date(),
        "archive_url": article.archive_url[:1000],
    }
    if outlet is not None:
        initial["outlet"] = outlet.pk
    elif article.site_name:
        initial["proposed_outlet"] = article.site_name[:200]
    return initial, article


def matching_outlet(*, name, url):
    """An existing outlet with the page's site name, or whose website has the page's host."""
    if name:
        outlet = Outlet.objects.filter(name__iexact=name.strip()).first()
        if outlet is not None:
            return outlet
    host = page_addresses.host(url)
    if not host:
        return None
    candidates = Outlet.objects.filter(website__icontains=host).order_by("pk")
    return next((o for o in candidates if page_addresses.host(o.website) == host), None)


def proposed_slug(*, title):
    """A free /sources/ slug made from the title (-2, -3, … when taken)."""
    base = slugify(title)[:190].strip("-") or "imported-source"
    taken = set(Source.objects.filter(slug__startswith=base).values_list("slug", flat=True)[:1000])
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def outlet_named(*, name, url):
    """The outlet an editor kept from the proposal: an existing one of that name, or a new one
    (with a free slug and the page's site as its website). Called inside the source's save."""
    name = name.strip()
    outlet = Outlet.objects.filter(name__iexact=name).first()
    if outlet is not None:
        return outlet
    base = slugify(name)[:190] or "outlet"
    slug, n = base, 1
    while Outlet.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    host = page_addresses.host(url)
    return Outlet.objects.create(name=name, slug=slug, website=f"https://{host}" if host else "")


def link(*, retrieval, source):
    """Record that ``source`` was saved from ``retrieval`` (once: a retrieval makes one source)."""
    with transaction.atomic():
        rows = Retrieval.objects.filter(pk=retrieval.pk, source__isnull=True).update(source=source)
    return bool(rows)
