"""axe-core audits every kind of public page: no violation of moderate impact or worse.

axe-core comes from npm (node_modules/axe-core, pinned in package-lock.json) and is injected as a
script, so the audit page's context bypasses the site's Content-Security-Policy.
"""

import json

import pytest

from negotiations.models import Claim, Official, Quote, Round, Source, StickingPoint

pytestmark = pytest.mark.browser

BLOCKING = {"moderate", "serious", "critical"}


def first_published(model, **filters):
    record = model.objects.published().filter(**filters).order_by("pk").first()
    assert record is not None, f"the seed has no published {model._meta.verbose_name}"
    return record.get_absolute_url()


# page type → its path, looked up once the seed is loaded.
PAGES = {
    "home": lambda: "/",
    "round list": lambda: "/rounds/",
    "issue list": lambda: "/issues/",
    "official list": lambda: "/officials/",
    "quote list": lambda: "/quotes/",
    "claim list": lambda: "/claims/",
    "source list": lambda: "/sources/",
    "filtered quote list": lambda: "/quotes/?speaker=scott-bessent",
    "round": lambda: first_published(Round),
    "issue": lambda: first_published(StickingPoint),
    "official": lambda: first_published(Official),
    "quote": lambda: first_published(Quote, citations__isnull=False),
    "quote with other wordings": lambda: first_published(
        Quote, statement__slug="bessent-talks-stalled"
    ),
    "list with a message": lambda: "/quotes/?said_after=2025-99-99",
    "claim": lambda: first_published(Claim, citations__isnull=False),
    "source": lambda: first_published(Source),
    "integrity report": lambda: "/integrity/",
    "search results": lambda: "/search/?q=tariffs",
    "quote version": lambda: first_published(Quote, citations__isnull=False) + "versions/1/",
    "source version": lambda: first_published(Source) + "versions/1/",
    "round history": lambda: first_published(Round) + "history/",
    "tariff-rate chart": lambda: "/charts/tariff-rates/",
    "issues by round": lambda: "/charts/issues-by-round/",
    "not found": lambda: "/no-such-page/",
}


def run_axe(page, axe_source):
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {json.dumps(node['target'])}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.mark.parametrize("page_type", list(PAGES))
def test_no_moderate_or_worse_accessibility_violations(audit_page, axe_source, page_type):
    path = PAGES[page_type]()
    response = audit_page.goto(path)
    expected_status = 404 if page_type == "not found" else 200
    assert response.status == expected_status, f"{path} answered {response.status}"

    violations = run_axe(audit_page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    if violations:
        print(f"axe on {path}:\n{describe(violations)}")
    assert not blocking, (
        f"axe found violations of moderate impact or worse on {path}:\n{describe(blocking)}"
    )
