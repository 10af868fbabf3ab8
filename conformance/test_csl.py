"""The CSL-JSON export against the Citation Style Language's input schema (csl/csl-data.json,
draft-07): every seed source, quote and claim, every detail page, and a filtered list."""

import json

import jsonschema
import pytest
from django.core.management import call_command

from negotiations.models import Claim, Official, Quote, Round, Source, StickingPoint

from .conftest import FOLDER

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def validator(conformance_dir):
    schema = json.loads((conformance_dir / "csl" / "csl-data.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


def export(client, path, **params):
    response = client.get(path, {"format": "csl-json", **params})
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    return json.loads(b"".join(response.streaming_content))


def assert_valid(validator, items, path):
    errors = [f"{path}: {e.json_path}: {e.message}" for e in validator.iter_errors(items)]
    assert not errors, "\n".join(errors)
    assert items, f"{path}: no items"


def test_the_schema_is_there():
    assert (FOLDER / "csl" / "csl-data.json").is_file()


def test_every_seed_record_validates(seed, client, validator):
    models = (Source, Quote, Claim, Round, StickingPoint, Official)
    records = [record for model in models for record in model.objects.published()]
    assert len(records) > 30
    for record in records:
        path = record.get_absolute_url()
        items = export(client, path)
        assert_valid(validator, items, path)


@pytest.mark.parametrize(
    "path, params",
    [
        ("/sources/", {}),
        ("/sources/", {"outlet": "british-wire"}),
        ("/quotes/", {"speaker": "scott-bessent"}),
        ("/quotes/", {"issue": "tariffs", "said_after": "2025-05-01"}),
        ("/claims/", {"status": "disputed"}),
        ("/claims/", {}),
    ],
)
def test_lists_validate(seed, client, validator, path, params):
    assert_valid(validator, export(client, path, **params), f"{path} {params}")


def test_the_schema_refuses_a_wrong_item(validator):
    # The check can fail: an unknown field, a date as a string, a missing type.
    wrong = [
        {"id": "x", "type": "article-newspaper", "outlet": "British Wire"},
        {"id": "x", "type": "article-newspaper", "issued": "2025-07-29"},
        {"id": "x"},
    ]
    for item in wrong:
        assert list(validator.iter_errors([item])), item
