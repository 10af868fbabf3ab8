"""A published record's slug is part of its public address: the form says that changing it
keeps the old address answering (``negotiations.addresses`` redirects it), and the save says
which address now redirects where."""

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import revisions


class PermanentAddressAdmin:
    """For the admin of a record whose pages are under its slug (``/sources/<slug>/``)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.is_published and "slug" in form.base_fields:
            field = form.base_fields["slug"]
            field.help_text = format_html(
                "{} {}",
                field.help_text,
                _(
                    "This record is published: if you change its slug, its present address "
                    "%(path)s and every page under it will redirect to the new one."
                )
                % {"path": obj.get_absolute_url()},
            )
        return form

    def save_model(self, request, obj, form, change):
        before = form.initial.get("slug") if change else None
        super().save_model(request, obj, form, change)
        if before and before != obj.slug and obj.is_published:
            kind = revisions.KIND_OF[type(obj)]
            addresses = {
                "old": reverse(f"negotiations:{kind.name}-detail", kwargs={"slug": before}),
                "new": obj.get_absolute_url(),
            }
            if getattr(request, "held_for_review", None) is not None:  # saved as a proposal
                message = _(
                    "Once a reviewer approves this change, the old address %(old)s will redirect "
                    "to %(new)s, as will every page under it."
                )
            else:
                message = _(
                    "The old address %(old)s now redirects to %(new)s, as does every page under it."
                )
            messages.info(request, message % addresses)
