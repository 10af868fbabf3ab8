"""The app's configuration: the signals that keep derived state right on every write
(``receivers``), and, after every ``migrate``, the editorial roles brought in line with
``roles.py``."""

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate

from . import roles


def sync_roles(sender, apps=global_apps, plan=None, **kwargs):
    """Give the Editors and Reviewers groups exactly the permissions ``roles.py`` lists.

    Runs after the permissions themselves are created (``django.contrib.auth`` connects that
    first), also after a ``flush`` (which passes no ``apps``). Skipped after a backwards
    migration, whose models may lack permissions the roles name.
    """
    if plan and any(backwards for _migration, backwards in plan):
        return
    roles.sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def count_uncounted_records(sender, using="default", **kwargs):
    """Count the facets of a knowledge base that has records but no counts yet: one made before
    facet counts were kept (the migration that adds their tables holds no live code)."""
    from .models import FacetSignature, Quote, Source
    from .services import facets

    uncounted = not FacetSignature.objects.using(using).exists()
    if uncounted and (Quote.objects.using(using).exists() or Source.objects.using(using).exists()):
        facets.rebuild()


class NegotiationsConfig(AppConfig):
    name = "negotiations"
    verbose_name = "Negotiations knowledge base"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the signals that keep derived state right, and the statement limit.
        from . import guards, receivers  # noqa: F401
        from .checking import index  # noqa: F401  (the checker's index, made after migrate)

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="negotiations.sync_roles")
        post_migrate.connect(
            count_uncounted_records, sender=self, dispatch_uid="negotiations.count_facets"
        )
