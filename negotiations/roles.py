"""The editorial roles and their permissions, in one place.

Editors create and change drafts, add sources and citations, and remove the rows inside a
record's form (a participant, an agenda item, a citation); their changes to a published record
wait for a reviewer (both see the changes to review; an editor withdraws their own). Reviewers
can do all that and also publish and unpublish, and approve or reject editors' changes (the
right to publish a kind is the right to decide on changes to it). Nobody in either group deletes a record: a published record is
unpublished instead, and every change stays in its history. Both see the quote checker's kept
reports and delete abusive ones: a reader's report is not a record of the knowledge base.
"""

EDITORS = "Editors"
REVIEWERS = "Reviewers"

KNOWLEDGE_BASE_MODELS = [
    "outlet",
    "source",
    "official",
    "position",
    "stickingpoint",
    "round",
    "participant",
    "agendaitem",
    "statement",
    "quote",
    "claim",
    "citation",
]
INLINE_ROWS = ["position", "participant", "agendaitem", "citation"]
PUBLISHABLE = ["source", "official", "stickingpoint", "round", "statement", "quote", "claim"]

EDITOR_PERMISSIONS = (
    [f"{action}_{model}" for model in KNOWLEDGE_BASE_MODELS for action in ("add", "change", "view")]
    + [f"delete_{model}" for model in INLINE_ROWS]
    + ["view_pendingchange"]
    + ["view_checkreport", "delete_checkreport"]
)
REVIEWER_PERMISSIONS = EDITOR_PERMISSIONS + [f"publish_{model}" for model in PUBLISHABLE]

GROUPS = {EDITORS: EDITOR_PERMISSIONS, REVIEWERS: REVIEWER_PERMISSIONS}


def sync_groups(group_model, permission_model):
    """Create both groups (if missing) and give each exactly its permissions.

    Takes the Group and Permission classes: ``apps.sync_roles`` passes those of the migrated
    state.
    """
    for name, codenames in GROUPS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = permission_model.objects.filter(
            content_type__app_label="negotiations", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise LookupError(f"Permissions not found for the {name} group: {sorted(missing)}")
        group.permissions.set(permissions)
