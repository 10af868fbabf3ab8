"""Derived state on every write path: the model signals that tell ``services.derivation`` what
changed.

Saving, deleting (one record or a QuerySet), changing a many-to-many link and restoring a
version from History all send these signals, whether they come from the admin, the seed loader
or the shell; so verdicts, statuses, anchors and origins follow, and the rule about published
records is checked, whichever way the data was written. (``QuerySet.update()`` and raw SQL send
none: ``manage.py check_integrity`` finds what they leave behind and ``--repair`` derives it.)

The same signals, from every model of the app, move the change stamp on (``services.changes``),
so that no cached page outlives a change. ``QuerySet.update()``, ``bulk_create()``,
``bulk_update()`` and raw SQL send none: code that writes that way calls
``changes.note_change()`` itself, as the seed loader, ``import_kb`` and ``--repair`` do.
"""

from django.apps import apps
from django.db.models import QuerySet
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
)
from django.dispatch import receiver
from simple_history.models import HistoricalChanges

from .models import (
    AgendaItem,
    ChangeStamp,
    CheckReport,
    Citation,
    Claim,
    FacetCount,
    FacetSignature,
    Official,
    PendingChange,
    Quote,
    Source,
    Statement,
    StickingPoint,
)
from .models.base import counted_rows_updated
from .services import changes, derivation, origins


def _sources_cited_by(target, ids):
    """The sources cited by the citations of these quotes, claims or agenda items (``target``):
    their rounds, a facet of sources (``models.facets``), follow the records'."""
    ids = sorted({pk for pk in ids if pk})
    cited = set()
    for start in range(0, len(ids), 2_000):
        rows = Citation.objects.filter(**{f"{target}__in": ids[start : start + 2_000]})
        cited.update(rows.order_by().values_list("source_id", flat=True).distinct())
    return cited


def _deleting_itself(origin, model):
    """Whether the deletion was started on ``model`` itself (not cascaded from a parent)."""
    started_on = origin.model if isinstance(origin, QuerySet) else type(origin)
    return started_on is model


# Sources --------------------------------------------------------------------------------------


@receiver(post_save, sender=Source)
def source_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        # its own origin, until linked to others
        derivation.report(links={instance.pk}, counted={"source": {instance.pk}})
        return
    if any(instance.changed(name) for name in ("state", "outlet", "reliability")):
        derivation.report(counted={"source": {instance.pk}})
    texts = {instance.pk} if instance.changed("body") else set()
    if instance.changed("origin"):
        derivation.report(links={instance.pk})  # a derived value brought back: derive it again
    if instance.changed("state"):
        quotes, claims = derivation.records_citing({instance.pk})
        derivation.report(quotes=quotes, claims=claims, texts=texts, check=True)
    elif texts:
        derivation.report(texts=texts)


def _links_changed(sender, instance, action, reverse, pk_set, *, derived, **kwargs):
    if action == "pre_add" and derived:
        # No source derives from itself, directly or through others.
        if reverse:  # instance is the source derived from; pk_set derive from it
            for child in pk_set:
                origins.refuse_derivation_cycle(Source(pk=child), {instance.pk})
        else:
            origins.refuse_derivation_cycle(instance, pk_set)
    elif action == "pre_clear":
        instance._group_before_clear = origins.group_of({instance.pk})
    elif action in ("post_add", "post_remove"):
        derivation.report(links={instance.pk, *pk_set})
    elif action == "post_clear":
        derivation.report(links=getattr(instance, "_group_before_clear", {instance.pk}))


@receiver(m2m_changed, sender=Source.derived_from.through)
def derivation_links_changed(sender, **kwargs):
    _links_changed(sender, derived=True, **kwargs)


@receiver(m2m_changed, sender=Source.same_report_as.through)
def same_report_links_changed(sender, **kwargs):
    _links_changed(sender, derived=False, **kwargs)


@receiver(pre_delete, sender=Source)
def source_deleting(sender, instance, **kwargs):
    instance._group_before_delete = origins.group_of({instance.pk}) - {instance.pk}


@receiver(post_delete, sender=Source)
def source_deleted(sender, instance, **kwargs):
    derivation.report(
        links=getattr(instance, "_group_before_delete", set()),
        counted={"source": {instance.pk}},
    )


# Citations -----------------------------------------------------------------------------------


@receiver(post_save, sender=Citation)
def citation_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # The record it backs now, and the one it backed before if it was moved.
    derivation.report(
        quotes={instance.quote_id, instance.stored("quote")},
        claims={instance.claim_id, instance.stored("claim")},
        citations={instance.pk} if instance.claims_anchor_wrongly else (),
        check=True,
        # The rounds its source is cited in (and, moved, those of the source it cited before).
        counted={"source": {instance.source_id, instance.stored("source")}},
    )


@receiver(post_delete, sender=Citation)
def citation_deleted(sender, instance, origin=None, **kwargs):
    # Deleting a citation must not leave what it backs unsupported; deleting the record it
    # backs (which cascades to it) takes the record away too.
    derivation.report(
        quotes={instance.quote_id},
        claims={instance.claim_id},
        check=_deleting_itself(origin, Citation),
        counted={"source": {instance.source_id}},
    )


# Quotes, statements, claims, officials ----------------------------------------------------


@receiver(post_save, sender=Quote)
def quote_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or not any(instance.changed(name) for name in Quote.watched_fields):
        return
    if not created and (instance.changed("round") or instance.changed("state")):
        # The rounds the sources it cites are cited in (a new quote cites nothing yet).
        derivation.report(counted={"source": _sources_cited_by("quote", {instance.pk})})
    quotes = {instance.pk}
    old_statement = instance.stored("statement")
    if old_statement and old_statement != instance.statement_id:
        # Its former statement's wordings lose it as another wording.
        quotes |= set(Quote.objects.filter(statement=old_statement).values_list("pk", flat=True))
    published_now = instance.is_published and (
        instance.changed("state") or instance.changed("speaker")
    )
    derivation.report(quotes=quotes, check=published_now)


@receiver(post_delete, sender=Quote)
def quote_deleted(sender, instance, **kwargs):
    derivation.report(counted={"quote": {instance.pk}})
    if instance.statement_id:
        wordings = Quote.objects.filter(statement=instance.statement_id)
        derivation.report(quotes=set(wordings.values_list("pk", flat=True)))


@receiver(pre_delete, sender=Statement)
def statement_deleting(sender, instance, **kwargs):
    instance._wordings = set(instance.quotes.values_list("pk", flat=True))


@receiver(post_delete, sender=Statement)
def statement_deleted(sender, instance, **kwargs):
    derivation.report(quotes=getattr(instance, "_wordings", set()))


@receiver(post_save, sender=Claim)
def claim_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if not created and (instance.changed("round") or instance.changed("state")):
        derivation.report(counted={"source": _sources_cited_by("claim", {instance.pk})})
    if created or any(instance.changed(name) for name in Claim.watched_fields):
        derivation.report(claims={instance.pk}, check=instance.is_published)


@receiver(post_delete, sender=Claim)
def claim_deleted(sender, instance, **kwargs):
    derivation.report(counted={"claim": {instance.pk}})


# Facet counts: links that no save of a quote, claim or source reports ------------------------


def _issues_changed(subject, instance, action, reverse, pk_set, **kwargs):
    """An issue linked to or unlinked from quotes or claims (from either side)."""
    if action == "pre_clear":
        # Cleared from an issue: which records lose it is known only before.
        linked = getattr(instance, f"{subject}s") if reverse else None
        instance._counted_before_clear = (
            set(linked.values_list("pk", flat=True)) if reverse else {instance.pk}
        )
    elif action in ("post_add", "post_remove"):
        derivation.report(counted={subject: set(pk_set or ()) if reverse else {instance.pk}})
    elif action == "post_clear":
        derivation.report(counted={subject: getattr(instance, "_counted_before_clear", set())})


@receiver(m2m_changed, sender=Quote.sticking_points.through)
def quote_issues_changed(sender, **kwargs):
    _issues_changed("quote", **kwargs)


@receiver(m2m_changed, sender=Claim.sticking_points.through)
def claim_issues_changed(sender, **kwargs):
    _issues_changed("claim", **kwargs)


@receiver(pre_delete, sender=StickingPoint)
def issue_deleting(sender, instance, **kwargs):
    # Its links go with it, row by row in SQL: no m2m_changed says so.
    instance._counted = {
        "quote": set(instance.quotes.values_list("pk", flat=True)),
        "claim": set(instance.claims.values_list("pk", flat=True)),
    }


@receiver(post_delete, sender=StickingPoint)
def issue_deleted(sender, instance, **kwargs):
    derivation.report(counted=getattr(instance, "_counted", {}))


@receiver(counted_rows_updated)
def rows_updated(sender, subject, ids, **kwargs):
    counted = {subject: ids}
    if subject in ("quote", "claim"):  # their round or state: the rounds of what they cite
        counted["source"] = _sources_cited_by(subject, ids)
    derivation.report(counted=counted)


@receiver(post_save, sender=AgendaItem)
def agenda_item_saved(sender, instance, created=False, raw=False, **kwargs):
    # Moved to another round: the sources its citations cite are cited in another round.
    # (Deleted, with its round or alone: its citations go with it, and say so themselves.)
    if not (raw or created) and instance.changed("round"):
        derivation.report(counted={"source": _sources_cited_by("agenda_item", {instance.pk})})


@receiver(post_save, sender=Official)
def official_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.changed("state") and not instance.is_published:
        derivation.report(unpublished_speakers={instance.pk})


# The change stamp: every model of the app ----------------------------------------------------


def knowledge_base_changed(sender, using, **kwargs):
    changes.note_change(using=using)


def knowledge_base_links_changed(sender, action, using, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        changes.note_change(using=using)


for model in apps.get_app_config("negotiations").get_models(include_auto_created=True):
    if model in (ChangeStamp, CheckReport, FacetCount, FacetSignature, PendingChange):
        # bookkeeping, written only beside the records whose change is noted; changes
        # waiting for review, which the public does not see until approved (a save then); and
        # the quote checker's reports, written by any reader (their deletion: below)
        continue
    uid = f"change-stamp-{model._meta.label_lower}"
    m2m_changed.connect(knowledge_base_links_changed, sender=model, dispatch_uid=uid)
    # A link table's rows are written by its many-to-many manager (m2m_changed, above) and
    # deleted with their record (whose post_delete counts); history rows are written with the
    # record they describe. Neither needs a receiver of its own, which would also keep Django
    # from deleting their rows in one statement.
    if model._meta.auto_created or issubclass(model, HistoricalChanges):
        continue
    post_save.connect(knowledge_base_changed, sender=model, dispatch_uid=uid)
    post_delete.connect(knowledge_base_changed, sender=model, dispatch_uid=uid)


def deployed(sender, using, plan=None, **kwargs):
    """After ``migrate``, which every deployment runs: pages the previous code made are left
    behind for clients that check with If-Modified-Since alone (ETags name the code's release,
    ``caching.release``). Not after a backwards migration, which may take the stamp's table."""
    if not (plan and any(backwards for _migration, backwards in plan)):
        changes.note_change(using=using)


post_migrate.connect(
    deployed, sender=apps.get_app_config("negotiations"), dispatch_uid="change-stamp-migrate"
)


@receiver(post_delete, sender=CheckReport)
def check_report_deleted(sender, instance, using, **kwargs):
    """A reader's new report leaves every cached page alone, but a deleted one (staff removing
    an abusive text, from the admin or the shell) must be gone from the page cache and from
    browsers' validators, which are keyed on the change stamp: it moves on."""
    changes.note_change(using=using)
