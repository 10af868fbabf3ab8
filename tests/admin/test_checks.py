"""The quote checker's kept reports in the admin: listed and shown read-only to editors and
reviewers, never added or changed; deleted (one, or many at once) by the admin's own deletes,
and the change stamp moves on (a receiver, on every delete path)."""

import pytest

from negotiations.models import ChangeStamp, CheckReport
from negotiations.roles import EDITORS, REVIEWERS
from negotiations.services import check_reports
from tests.helpers import admin_url, user_in

pytestmark = pytest.mark.django_db

PAYLOAD = {"characters": 12, "quotations": 0, "not_checked": 0, "counts": {}, "findings": []}


def kept(text="An abusive text", share_text=True):
    return check_reports.keep(payload=PAYLOAD, text=text, share_text=share_text)


@pytest.mark.parametrize("group", [EDITORS, REVIEWERS])
def test_staff_see_reports_read_only(client, group):
    report = kept()
    client.force_login(user_in(group, "staff"))
    listing = client.get(admin_url(CheckReport, "changelist"))
    assert listing.status_code == 200 and report.key in listing.text
    page = client.get(admin_url(CheckReport, "change", report.pk))
    assert page.status_code == 200
    assert "An abusive text" in page.text and f"/check/{report.key}/" in page.text
    assert 'name="text"' not in page.text  # shown, not a field to change
    assert client.get(admin_url(CheckReport, "add")).status_code == 403
    before = CheckReport.objects.get(pk=report.pk).text
    client.post(admin_url(CheckReport, "change", report.pk), {"text": "changed"})
    assert CheckReport.objects.get(pk=report.pk).text == before


def test_a_report_is_deleted_from_its_page(client, django_capture_on_commit_callbacks):
    report, other = kept(), kept(share_text=False)
    assert other.text == "" and not other.text_shared
    client.force_login(user_in(EDITORS, "ed"))
    before = ChangeStamp.objects.current().counter
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url(CheckReport, "delete", report.pk), {"post": "yes"})
    assert response.status_code == 302
    assert list(CheckReport.objects.all()) == [other]
    assert ChangeStamp.objects.current().counter == before + 1


def test_reports_are_deleted_in_bulk(client, django_capture_on_commit_callbacks):
    reports = [kept(), kept()]
    client.force_login(user_in(REVIEWERS, "rita"))
    before = ChangeStamp.objects.current().counter
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            admin_url(CheckReport, "changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [r.pk for r in reports],
                "post": "yes",
            },
        )
    assert not CheckReport.objects.exists()
    assert ChangeStamp.objects.current().counter == before + 1
