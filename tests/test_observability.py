"""Running it in production: /healthz for the load balancer, a log line per request, and the
Permissions-Policy header."""

import json
import logging

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_says_ok_when_the_database_answers_and_is_migrated(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_healthz_answers_a_load_balancer_asking_by_address_over_http(settings):
    settings.ALLOWED_HOSTS = ["negotiations.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client(HTTP_HOST="10.0.0.7").get("/healthz")
    assert response.status_code == 200  # not 400 (unknown host) nor 301 (HTTPS)


def test_healthz_is_unhealthy_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("unreachable")


def test_each_request_is_one_structured_log_line(seeded, client, settings, caplog):
    settings.REQUEST_LOG = True
    with caplog.at_level(logging.INFO, logger="negotiations.requests"):
        client.get("/quotes/", {"speaker": "scott-bessent"})
    lines = [
        json.loads(r.getMessage()) for r in caplog.records if r.name == "negotiations.requests"
    ]
    assert lines == [
        {
            "method": "GET",
            "path": "/quotes/",
            "status": 200,
            "duration_ms": lines[0]["duration_ms"],
            "queries": lines[0]["queries"],
        }
    ]
    assert lines[0]["queries"] > 0 and lines[0]["duration_ms"] > 0


def test_every_page_refuses_the_browser_features_it_never_uses(client):
    policy = client.get("/").headers["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
