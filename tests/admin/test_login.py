"""The admin's login: throttled after repeated wrong passwords, with a page that says why."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def account(db):
    return User.objects.create_user("ed", password="correct horse battery", is_staff=True)


def attempt(client, password, address="203.0.113.7"):
    return client.post(
        LOGIN, {"username": "ed", "password": password}, REMOTE_ADDR=address, follow=False
    )


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(account):
    client = Client()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200  # the form again, with its error
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text
    right = attempt(client, "correct horse battery")
    assert right.status_code == 429  # the right password too, until the cool-off ends
    assert "_auth_user_id" not in client.session


def test_the_lockout_holds_the_pair_not_every_address(account):
    for _ in range(5):
        attempt(Client(), "wrong")
    other = Client()
    assert attempt(other, "correct horse battery", address="198.51.100.9").status_code == 302


def test_a_successful_login_resets_the_count(account):
    client = Client()
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "correct horse battery").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200


@pytest.mark.parametrize(
    "next_", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_a_login_with_an_unsafe_or_no_next_lands_on_the_admin_index(account, next_):
    """Django falls back on LOGIN_REDIRECT_URL, which was its /accounts/profile/: a 404."""
    client = Client()
    response = client.post(
        f"{LOGIN}?next={next_}",
        {"username": "ed", "password": "correct horse battery", "next": next_},
        follow=True,
    )
    assert response.redirect_chain == [("/admin/", 302)]
    assert response.status_code == 200
    assert "Site administration" in response.text or "Knowledge base" in response.text


def test_a_login_with_a_safe_next_still_goes_there(account):
    response = Client().post(
        f"{LOGIN}?next=/admin/negotiations/source/",
        {
            "username": "ed",
            "password": "correct horse battery",
            "next": "/admin/negotiations/source/",
        },
    )
    assert response["Location"] == "/admin/negotiations/source/"
