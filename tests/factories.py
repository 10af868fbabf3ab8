"""Small builders for test data: each returns a saved, valid record, published unless asked.

A quote or claim is published only once it rests on a citation (the rule every write path
keeps): ``make_quote``/``make_claim`` save it as a draft, and ``cite`` publishes it with its
first citation when it was asked for published, as a reviewer would.
"""

import itertools

from negotiations.models import (
    AgendaItem,
    Citation,
    Claim,
    Official,
    Outlet,
    Participant,
    PublicationState,
    Quote,
    Round,
    Source,
    StickingPoint,
)

_numbers = itertools.count(1)

BODY = (
    "Negotiators met in Geneva. US Treasury Secretary Scott Bessent said the talks were "
    "“somewhat deadlocked right now.” Li Chenggang (李成钢) said China would honour the terms. "
    "Tariffs fell from 145% to 30%."
)


def make_outlet(**fields):
    n = next(_numbers)
    return Outlet.objects.create(**{"name": f"Outlet {n}", "slug": f"outlet-{n}", **fields})


def make_source(**fields):
    n = next(_numbers)
    values = {
        "slug": f"source-{n}",
        "title": f"Source {n}",
        "body": BODY,
        "state": PublicationState.PUBLISHED,
    }
    values.update(fields)
    return Source.objects.create(**values)


def make_official(**fields):
    n = next(_numbers)
    values = {"slug": f"official-{n}", "name": f"Official {n}", "country": "US"}
    values.update({"state": PublicationState.PUBLISHED, **fields})
    return Official.objects.create(**values)


def make_sticking_point(**fields):
    n = next(_numbers)
    values = {"slug": f"issue-{n}", "name": f"Issue {n}", "category": "trade"}
    values.update({"state": PublicationState.PUBLISHED, **fields})
    return StickingPoint.objects.create(**values)


def make_round(**fields):
    n = next(_numbers)
    values = {"slug": f"round-{n}", "title": f"Round {n}", "kind": "talks"}
    values.update({"state": PublicationState.PUBLISHED, **fields})
    return Round.objects.create(**values)


def make_participant(round_, official, **fields):
    return Participant.objects.create(
        round=round_, official=official, **{"side": "US", "role": "negotiator", **fields}
    )


def make_agenda_item(round_, sticking_point, **fields):
    return AgendaItem.objects.create(
        round=round_, sticking_point=sticking_point, **{"status": "raised", **fields}
    )


def _draft_until_cited(model, fields):
    published = fields.pop("state", PublicationState.PUBLISHED) == PublicationState.PUBLISHED
    record = model.objects.create(state=PublicationState.DRAFT, **fields)
    record.publish_when_cited = published
    return record


def make_quote(speaker=None, **fields):
    values = {"text": "somewhat deadlocked right now", "kind": "partial", **fields}
    return _draft_until_cited(Quote, {"speaker": speaker or make_official(), **values})


def make_claim(**fields):
    values = {"text": f"Claim {next(_numbers)}", **fields}
    if values.get("value") is not None:
        values.setdefault("value_qualifier", "exact")
    return _draft_until_cited(Claim, values)


def cite(target, source=None, passage=None, **fields):
    """A citation anchored the way the admin anchors one: found in the source's text. Without
    a source, one whose text prints the passage."""
    passage = passage or target_passage(target)
    if source is None:
        source = make_source(body=BODY if passage in BODY else f"{BODY} He said: “{passage}”.")
    field = {Quote: "quote", Claim: "claim", AgendaItem: "agenda_item"}[type(target)]
    citation = Citation(source=source, exact=passage, **{field: target}, **fields)
    citation.full_clean()
    citation.save()
    if getattr(target, "publish_when_cited", False) and not target.is_published:
        target.state = PublicationState.PUBLISHED
        target.save()
    return citation


def target_passage(target):
    if isinstance(target, Quote):
        return target.text
    return "Tariffs fell from 145% to 30%."
