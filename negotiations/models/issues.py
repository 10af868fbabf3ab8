"""Sticking points: the issues that block or shape agreement ("issues" on public pages)."""

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..paths import record_path
from .base import (
    PublicationState,
    PublishableModel,
    PublishableQuerySet,
    related_model,
)
from .facets import kept_count


class StickingPointCategory(models.TextChoices):
    TRADE = "trade", _("Trade and tariffs")
    TECHNOLOGY = "technology", _("Technology")
    SECURITY = "security", _("Security and geopolitics")
    PEOPLE = "people", _("People and education")
    LEGAL = "legal", _("Law and courts")


def _published_count(relation, link):
    """How many published records on the other end of ``relation`` point at the outer issue
    through ``link``."""
    model = related_model(StickingPoint, relation)
    rows = (
        model.objects.filter(**{link: models.OuterRef("pk")}, state=PublicationState.PUBLISHED)
        .order_by()
        .values(link)
        .annotate(n=models.Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(models.Subquery(rows), 0)


class StickingPointQuerySet(PublishableQuerySet):
    def with_counts(self):
        """Published quotes, claims and rounds per issue, as subqueries (no row blow-up).

        Quotes and claims are read from their kept counts (``models.facets``: the published
        quotes, claims, linked to the issue), whatever their number; rounds, which are no facet
        subject, are counted from the agenda: a handful per issue."""
        return self.annotate(
            quote_count=kept_count("quote", "issue"),
            claim_count=kept_count("claim", "issue"),
            round_count=_published_count("rounds", "agenda_items__sticking_point"),
        )

    def with_record(self):
        """For an issue's page: where it stood at each published round, in date order, with the
        passages behind it (``round_history``). Its quotes and claims are too many to prefetch:
        the page shows the first of them (``negotiations.evidence``)."""
        agenda_items = related_model(StickingPoint, "agenda_items").objects
        return self.prefetch_related(
            models.Prefetch(
                "agenda_items",
                queryset=agenda_items.in_published_rounds().with_public_citations(),
                to_attr="round_history",
            ),
        )


class StickingPoint(PublishableModel):
    """An issue that blocks or shapes agreement, followed across rounds ("issue" in public)."""

    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Part of the public address: /issues/<slug>/. For example “rare-earths”."),
    )
    name = models.CharField(
        _("name"), max_length=200, unique=True, help_text=_("For example “Rare earths”.")
    )
    category = models.CharField(
        _("category"), max_length=20, choices=StickingPointCategory, db_index=True
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What the disagreement is about, in two or three sentences."),
    )

    history = HistoricalRecords()

    objects = StickingPointQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sticking point")
        verbose_name_plural = _("sticking points")
        permissions = [("publish_stickingpoint", _("Can publish and unpublish sticking points"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_path("negotiations:issue-detail", "slug", self.slug)
