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
