"""The integrity rules hold after any sequence of real operations: a stateful property-based test.

Hypothesis drives random sequences of what editors and reviewers do through the admin (edit a
source's text so a passage moves, is reworded or disappears; add citations and bulk-delete
them; restore an earlier version from History; publish and unpublish; group and ungroup
wordings) and of reloading the seed, starting from the seed. After every step no response is
an error page and ``check_integrity``'s rules hold (``services.integrity.violations``); at the
end of each run the public pages are looked through for drafts too. Each run is rolled back.
"""

import os

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from negotiations.models import Citation, Claim, Quote, Source, Statement
from negotiations.roles import REVIEWERS
from negotiations.services import integrity
from tests.helpers import admin_url, form_data, user_in

pytestmark = pytest.mark.django_db

# A fixed budget in CI; HYPOTHESIS_RUNS=200 explores further.
RUNS = int(os.environ.get("HYPOTHESIS_RUNS", "5"))
STEPS = 10

PUBLISHABLE = {"source": Source, "quote": Quote, "claim": Claim}


def pick(queryset, index):
    records = list(queryset.order_by("pk"))
    return records[index % len(records)] if records else None


class EditorialWork(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.client = Client()
        reviewer = User.objects.filter(username="rita").first() or user_in(REVIEWERS, "rita")
        self.client.force_login(reviewer)

    def teardown(self):
        try:
            found = list(integrity.violations(crawl=True, pages_per_type=3))
            assert not found, [str(v) for v in found]
        finally:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    def post(self, url, data, **kwargs):
        response = self.client.post(url, data, **kwargs)
        assert response.status_code < 500, (url, response.status_code)
        return response

    def save_form(self, model, record, change):
        url = admin_url(model, "change", record.pk)
        page = self.client.get(url)
        assert page.status_code == 200, url
        data = form_data(page)
        change(data)
        return self.post(url, data)

    # Sources' texts --------------------------------------------------------------------------

    @rule(n=st.integers(0, 99), how=st.sampled_from(["prepend", "reword", "remove"]))
    def edit_a_source_text(self, n, how):
        citation = pick(Citation.objects.select_related("source"), n)
        if citation is None:
            return
        source, body = citation.source, citation.source.body
        passage = body[citation.start : citation.end]
        if how == "prepend":
            body = "UPDATED. " + body
        elif how == "reword":
            words = passage.split(" ")
            words[len(words) // 2] = "changed"
            body = body.replace(passage, " ".join(words), 1)
        else:
            body = body.replace(passage, "", 1)
        if body.strip():
            self.save_form(Source, source, lambda data: data.update(body=body))

    # Citations -------------------------------------------------------------------------------

    @rule(n=st.integers(0, 99), m=st.integers(0, 99), claim=st.booleans())
    def add_a_citation(self, n, m, claim):
        record = pick(Claim.objects.all() if claim else Quote.objects.all(), n)
        source = pick(Source.objects.all(), m)
        if record is None or source is None:
            return
        sentence = next((s for s in source.body.split(". ") if len(s) > 20), None)
        if sentence is None:
            return
        data = {
            "source": source.pk,
            "claim" if claim else "quote": record.pk,
            "stance": "supports",
            "exact": sentence,
            "prefix": "",
            "suffix": "",
            "note": "",
        }
        self.post(admin_url(Citation, "add"), data)

    @rule(indices=st.lists(st.integers(0, 199), min_size=1, max_size=4))
    def bulk_delete_citations(self, indices):
        citations = list(Citation.objects.order_by("pk"))
        if not citations:
            return
        chosen = {citations[i % len(citations)].pk for i in indices}
        self.post(
            admin_url(Citation, "changelist"),
            {"action": "delete_selected", "_selected_action": list(chosen), "post": "yes"},
        )

    # History ---------------------------------------------------------------------------------

    @rule(kind=st.sampled_from(sorted(PUBLISHABLE)), n=st.integers(0, 99), v=st.integers(0, 9))
    def restore_an_earlier_version(self, kind, n, v):
        model = PUBLISHABLE[kind]
        record = pick(model.objects.all(), n)
        if record is None:
            return
        versions = list(record.history.order_by("history_date"))
        version = versions[v % len(versions)]
        url = f"/admin/negotiations/{kind}/{record.pk}/history/{version.pk}/"
        page = self.client.get(url)
        assert page.status_code < 500
        if page.status_code == 200:
            self.post(url, form_data(page))

    # Publishing ------------------------------------------------------------------------------

    @rule(
        kind=st.sampled_from(sorted(PUBLISHABLE)),
        n=st.integers(0, 99),
        action=st.sampled_from(["publish_selected", "unpublish_selected"]),
    )
    def publish_or_unpublish(self, kind, n, action):
        record = pick(PUBLISHABLE[kind].objects.all(), n)
        if record is not None:
            self.post(
                admin_url(PUBLISHABLE[kind], "changelist"),
                {"action": action, "_selected_action": [record.pk]},
            )

    # Wordings --------------------------------------------------------------------------------

    @rule(n=st.integers(0, 99), m=st.integers(0, 99), ungroup=st.booleans())
    def group_or_ungroup_a_wording(self, n, m, ungroup):
        quote = pick(Quote.objects.all(), n)
        if quote is None:
            return
        statement = None if ungroup else pick(Statement.objects.filter(speaker=quote.speaker), m)
        value = "" if statement is None else str(statement.pk)
        self.save_form(Quote, quote, lambda data: data.update(statement=value))

    # The seed --------------------------------------------------------------------------------

    @rule(now=st.integers(0, 3))
    def reload_the_seed(self, now):
        # Drawn a quarter as often as it would be as a rule without arguments (Hypothesis
        # favours those), because a reload costs ten times another step.
        if now == 0:
            call_command("load_seed", verbosity=0)

    @invariant()
    def integrity_holds(self):
        found = list(integrity.violations(crawl=False))
        assert not found, [str(v) for v in found]


def test_integrity_holds_after_any_sequence_of_operations(seeded):
    run_state_machine_as_test(
        EditorialWork,
        settings=settings(
            max_examples=RUNS,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
