"""An agenda item cited from the round's own form, in a real browser: the row's source chosen
through its autocomplete widget, the passage pasted, one save (issue 13, 6a)."""

import pytest

from negotiations.models import Round, Source, StickingPoint
from tests.browser.effort import Effort
from tests.browser.test_entering_a_round import editor, fill_title, log_in, save_button  # noqa: F401

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser


def test_a_new_rounds_agenda_item_is_cited_in_the_rounds_first_save(page, editor):  # noqa: F811
    source = Source.objects.get(slug="bessent-fox-deadlocked")
    issue = StickingPoint.objects.order_by("name").first()
    passage = " ".join(source.body.split()[10:22])
    effort = Effort(page, "agenda citation in the round's form")
    log_in(effort, editor)
    effort.go("/admin/negotiations/round/add/")
    fill_title(effort, "Agenda cited at once", "agenda-cited-at-once")
    effort.select(page.locator("#id_kind"), "talks")
    effort.click(page.locator("#agenda_items-group .add-row a"))
    row = page.locator("#agenda_items-0")
    effort.choose(row.locator(".field-sticking_point"), issue.name)
    effort.select(row.locator('select[name$="-status"]'), "progress")
    effort.choose(row.locator(".field-cite_source"), "deadlocked", source.title[:30])
    effort.fill(row.locator('textarea[name$="-cite_exact"]'), passage)
    saved = effort.submit(save_button(page), step="round")
    assert saved, [e.inner_text() for e in page.locator(".errornote, .errorlist").all()]

    item = Round.objects.get(slug="agenda-cited-at-once").agenda_items.get()
    citation = item.citations.get()
    assert (citation.source_id, citation.anchor_status) == (source.pk, "anchored")
    assert " ".join(citation.exact.split()) == passage
    effort.go(f"/admin/negotiations/round/{item.round_id}/change/")
    expect(page.locator("#agenda_items-0 .field-citations_of_item a")).to_have_text(
        "1 citation: see or edit"
    )
