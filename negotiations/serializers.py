"""Plain-data shapes of the public records, for ?format=json and ?format=csv.

Each function takes a record fetched with its list's or page's prefetches and returns a dict;
every shape carries ``url`` (the record's public path). Citations carry ``source``, ``url`` (the
``#cite-`` link), ``exact`` and ``verified``.
"""

from .models.claims import plain_number


def _date(value):
    return value.isoformat() if value else None


def _partial_date(value, precision):
    return {"date": _date(value), "precision": precision}


def citation_data(citation):
    source = citation.source
    return {
        "id": citation.pk,
        "source": source.slug,
        "source_title": source.title,
        "source_reference": source.reference or None,
        "outlet": source.outlet.name if source.outlet_id else None,
        "url": citation.get_absolute_url(),
        "exact": citation.exact,
        "prefix": citation.prefix,
        "suffix": citation.suffix,
        "start": citation.start,
        "end": citation.end,
        "stance": citation.stance,
        "note": citation.note,
        "verified": citation.is_anchored,
    }


def quote_data(quote):
    return {
        "id": quote.pk,
        "url": quote.get_absolute_url(),
        "text": quote.text,
        "speaker": quote.speaker.slug,
        "speaker_name": quote.speaker.name,
        "kind": quote.kind,
        "verification": quote.verification,
        "said": _partial_date(quote.said_on, quote.said_precision),
        "setting": quote.setting,
        "round": quote.public_round.slug if quote.public_round else None,
        "statement": quote.public_statement.slug if quote.public_statement else None,
        "issues": [issue.slug for issue in quote.sticking_points.all()],
        "citations": [citation_data(c) for c in quote.citations.all()],
    }


def claim_data(claim):
    return {
        "id": claim.pk,
        "url": claim.get_absolute_url(),
        "text": claim.text,
        "status": claim.status,
        "independent_sources": claim.independent_sources,
        "round": claim.public_round.slug if claim.public_round else None,
        "issues": [issue.slug for issue in claim.sticking_points.all()],
        "officials": [official.slug for official in claim.officials.all()],
        "value": plain_number(claim.value) if claim.value is not None else None,
        "value_qualifier": claim.value_qualifier or None,
        "unit": claim.unit or None,
        "measure": claim.measure or None,
        "as_of": _partial_date(claim.as_of, claim.as_of_precision),
        "citations": [citation_data(c) for c in claim.citations.all()],
    }


def round_data(round_):
    return {
        "slug": round_.slug,
        "url": round_.get_absolute_url(),
        "title": round_.title,
        "kind": round_.kind,
        "city": round_.city,
        "country": round_.country,
        "start": _partial_date(round_.start_on, round_.start_precision),
        "end": _partial_date(round_.end_on, round_.end_precision),
        "summary": round_.summary,
        "outcome": round_.outcome,
        "participants": [
            {"official": p.official.slug, "name": p.official.name, "side": p.side, "role": p.role}
            for p in round_.participants.all()
        ],
        "agenda": [agenda_item_data(item) for item in round_.agenda_items.all()],
    }


def agenda_item_data(item):
    return {
        "issue": item.sticking_point.slug,
        "round": item.round.slug,
        "status": item.status,
        "note": item.note,
        "citations": [citation_data(c) for c in item.citations.all()],
    }


def issue_data(issue):
    return {
        "slug": issue.slug,
        "url": issue.get_absolute_url(),
        "name": issue.name,
        "category": issue.category,
        "summary": issue.summary,
        "quote_count": getattr(issue, "quote_count", None),
        "claim_count": getattr(issue, "claim_count", None),
        "round_count": getattr(issue, "round_count", None),
    }


def official_data(official):
    return {
        "slug": official.slug,
        "url": official.get_absolute_url(),
        "name": official.name,
        "native_name": official.native_name,
        "country": official.country,
        "positions": [
            {
                "title": p.title,
                "organisation": p.organisation,
                "from": _partial_date(p.start_on, p.start_precision),
                "to": _partial_date(p.end_on, p.end_precision),
            }
            for p in official.positions.all()
        ],
    }


def source_data(source, *, with_body=False):
    data = {
        "slug": source.slug,
        "url": source.get_absolute_url(),
        "title": source.title,
        "reference": source.reference or None,
        "title_is_descriptive": source.title_is_descriptive,
        "kind": source.kind,
        "outlet": source.outlet.name if source.outlet_id else None,
        "original_url": source.url or None,
        "archive_url": source.archive_url or None,
        "author": source.author or None,
        "language": source.language,
        "published": _partial_date(source.published_on, source.published_precision),
        "published_as_printed": source.published_as_printed or None,
        "retrieved_on": _date(source.retrieved_on),
        "reliability": source.reliability,
        "reliability_note": source.reliability_note,
        "derived_from": [s.slug for s in source.derived_from.all()],
    }
    if with_body:
        data["body"] = source.body
    return data


# A record's page adds what it shows beside the record -------------------------------------


def evidence_data(name, evidence, serializer):
    """The first page of one kind of evidence on a record's page (an ``evidence.Evidence``):
    ``<name>`` (those shown, serialized), ``<noun>_count`` (how many in all) and ``<name>_url``
    (the public list filtered to them, or None)."""
    return {
        name: [serializer(item) for item in evidence.items],
        f"{evidence.noun}_count": evidence.count,
        f"{name}_url": evidence.list_url,
    }


def _source_slug(source):
    return source.slug


def round_page_data(round_, *, quotes, claims, sources):
    return {
        **round_data(round_),
        **evidence_data("quotes", quotes, quote_data),
        **evidence_data("claims", claims, claim_data),
        **evidence_data("sources", sources, _source_slug),
    }


def issue_page_data(issue, *, quotes, claims):
    return {
        **issue_data(issue),
        "history": [agenda_item_data(item) for item in issue.round_history],
        **evidence_data("quotes", quotes, quote_data),
        **evidence_data("claims", claims, claim_data),
    }


def official_page_data(official, *, quotes):
    return {
        **official_data(official),
        "rounds": [
            {"round": p.round.slug, "side": p.side, "role": p.role}
            for p in official.participations.all()
        ],
        **evidence_data("quotes", quotes, quote_data),
    }


def quote_page_data(quote, *, comparisons):
    return {
        **quote_data(quote),
        "variants": [{**quote_data(c.variant), "differences": c.notes} for c in comparisons],
    }


def source_page_data(source, *, citations):
    return {
        **source_data(source, with_body=True),
        "citations": [citation_data(c) for c in citations],
    }


# Pages that are no record's: home and the integrity report ---------------------------------


def quote_item_data(quote):
    """A quote as a list's item shows it (``for_list``: no citations, no issues)."""
    return {
        "id": quote.pk,
        "url": quote.get_absolute_url(),
        "text": quote.text,
        "speaker": quote.speaker.slug,
        "speaker_name": quote.speaker.name,
        "verification": quote.verification,
        "said": _partial_date(quote.said_on, quote.said_precision),
    }


def claim_item_data(claim):
    """A claim as a list's item shows it (``for_list``)."""
    return {
        "id": claim.pk,
        "url": claim.get_absolute_url(),
        "text": claim.text,
        "status": claim.status,
    }


def home_data(*, rounds, issues, latest_quotes, latest_claims, latest_sources):
    return {
        "rounds": [
            {
                "slug": r.slug,
                "url": r.get_absolute_url(),
                "title": r.title,
                "kind": r.kind,
                "city": r.city,
                "country": r.country,
                "start": _partial_date(r.start_on, r.start_precision),
                "end": _partial_date(r.end_on, r.end_precision),
            }
            for r in rounds
        ],
        "issues": [issue_data(issue) for issue in issues],
        "latest_quotes": [quote_item_data(q) for q in latest_quotes],
        "latest_claims": [claim_item_data(c) for c in latest_claims],
        "latest_sources": [
            {
                "slug": s.slug,
                "url": s.get_absolute_url(),
                "title": s.title,
                "outlet": s.outlet.name if s.outlet_id else None,
            }
            for s in latest_sources
        ],
    }


def integrity_data(context):
    """The integrity report: counts by verdict and status, and the first of each list with
    its true count."""
    broken = []
    for citation in context["broken_citations"]:
        target = citation.target
        cited_by = target.get_absolute_url() if hasattr(target, "get_absolute_url") else None
        broken.append(
            {
                **citation_data(citation),
                "anchor_status": citation.anchor_status,
                "cited_by": cited_by,
            }
        )
    return {
        "quotes_by_verification": {v.value: n for v, n, _e in context["verdict_counts"]},
        "claims_by_status": {s.value: n for s, n, _e in context["status_counts"]},
        "unverified_quotes": [quote_data(q) for q in context["unverified_quotes"]],
        "unverified_count": context["unverified_count"],
        "disputed_claims": [claim_data(c) for c in context["disputed_claims"]],
        "disputed_count": context["disputed_count"],
        "broken_citations": broken,
        "broken_count": context["broken_count"],
    }


# A record's public versions and history (``revisions``) ----------------------------------


def _moment(value):
    return value.isoformat() if value else None


def version_data(version):
    """One public version: its fields as they were (each field's value, a related record as its
    page's path), when it was current, and its citations as they stood then (None where the
    page shows none)."""
    citations = None
    if version.citations is not None:
        citations = [
            {
                "id": c.id,
                "source": c.source.slug,
                "source_title": c.source.title,
                "url": f"{c.source.get_absolute_url()}#cite-{c.id}",
                "exact": c.exact,
                "prefix": c.prefix,
                "suffix": c.suffix,
                "start": c.start,
                "end": c.end,
                "stance": c.stance,
            }
            for c in version.citations
        ]
    return {
        "record": version.record.get_absolute_url(),
        "version": version.number,
        "url": version.url,
        "history": version.history_url,
        "is_current": version.is_current,
        "current_from": _moment(version.current_from),
        "current_until": _moment(version.current_until),
        "fields": {field.name: field.value for field in version.fields},
        "citations": citations,
    }


def history_data(record, *, entries, page):
    """A page of a record's public history, newest first: each version's path, date and the
    fields changed since the public version before it (old and new for short fields)."""
    return {
        "record": record.get_absolute_url(),
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [
            {
                "version": entry.number,
                "url": entry.url,
                "date": _moment(entry.date),
                "first_public_version": entry.changes is None,
                "changes": [
                    {"field": c.name, "label": c.label, "old": c.old, "new": c.new}
                    for c in entry.changes or []
                ],
            }
            for entry in entries
        ],
    }


def _absolute(url, base_url):
    return f"{base_url}{url}" if isinstance(url, str) and url.startswith("/") else url


def flatten(data, *, base_url=""):
    """One CSV row from a shape: lists become '; '-joined, nested records their url or slug,
    addresses absolute (``base_url``: scheme and host). Citations give two columns: their
    links, and beside them their passages (“…” (source)), so a spreadsheet holds the evidence
    itself."""
    row = {}
    for key, value in data.items():
        if isinstance(value, dict) and "date" in value:
            row[key] = value["date"] or ""
            row[f"{key}_precision"] = value["precision"]
        elif isinstance(value, list):
            row[key] = "; ".join(
                str(
                    _absolute(item.get("url"), base_url)
                    or item.get("official")
                    or item.get("issue")
                    or item.get("title")
                )
                if isinstance(item, dict)
                else str(item)
                for item in value
            )
            passages = [i for i in value if isinstance(i, dict) and "exact" in i]
            if passages or key == "citations":  # the same columns for every row
                row[f"{key[:-1]}_passages"] = " | ".join(
                    f"“{i['exact']}” ({i.get('source_reference') or i['source']})" for i in passages
                )
        elif value is None:
            row[key] = ""
        elif key == "url":
            row[key] = _absolute(value, base_url)
        else:
            row[key] = value
    return row
