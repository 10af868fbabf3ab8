"""Derived state on every write path: the model signals that tell ``services.derivation`` what
changed.

Saving, deleting (one record or a QuerySet), changing a many-to-many link and restoring a
version from History all send these signals, whether they come from the admin, the seed loader
or the shell; so verdicts, statuses, anchors and origins follow, and the rule about published
records is checked, whichever way the data was written. (``QuerySet.update()`` and raw SQL send
none: ``manage.py check_integrity`` finds what they leave behind and ``--repair`` derives it.)
"""

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import Citation, Claim, Official, Quote, Source, Statement
from .services import derivation, origins


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
        derivation.report(links={instance.pk})  # its own origin, until linked to others
        return
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
    derivation.report(links=getattr(instance, "_group_before_delete", set()))


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
    )


@receiver(post_delete, sender=Citation)
def citation_deleted(sender, instance, origin=None, **kwargs):
    # Deleting a citation must not leave what it backs unsupported; deleting the record it
    # backs (which cascades to it) takes the record away too.
    derivation.report(
        quotes={instance.quote_id},
        claims={instance.claim_id},
        check=_deleting_itself(origin, Citation),
    )


# Quotes, statements, claims, officials ----------------------------------------------------


@receiver(post_save, sender=Quote)
def quote_saved(sender, instance, raw=False, **kwargs):
    if raw or not any(instance.changed(name) for name in Quote.watched_fields):
        return
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
    if created or any(instance.changed(name) for name in Claim.watched_fields):
        derivation.report(claims={instance.pk}, check=instance.is_published)


@receiver(post_save, sender=Official)
def official_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.changed("state") and not instance.is_published:
        derivation.report(unpublished_speakers={instance.pk})
