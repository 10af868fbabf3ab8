"""Citations as W3C Web Annotations against the W3C test suite (web-annotation/): every seed
citation's Annotation, as served, against each MUST assertion of annotationMusts.test
(Draft 4 JSON Schemas, every schema held in a registry under its own id, dates and URIs checked
by rfc3339-validator and rfc3986-validator); a collection and a page against the suite's
collection definitions; and each expanded as JSON-LD (pyld) with the W3C context kept in that
folder, through a document loader that never reaches the network."""

import json

import pytest
from django.core.management import call_command
from django.test import Client
from jsonschema import Draft4Validator
from pyld import jsonld
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from negotiations import annotations
from negotiations.models import Citation, Source

from .conftest import FOLDER

SUITE = FOLDER / "web-annotation"
CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
OA = "http://www.w3.org/ns/oa#"
# The test database is made only for a session with tests marked so.
pytestmark = pytest.mark.django_db
AS = "http://www.w3.org/ns/activitystreams#"


def musts():
    path = SUITE / "annotations" / "annotationMusts.test"
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["assertions"]


@pytest.fixture(scope="module")
def registry(conformance_dir):
    """Every schema of the suite under its ``id`` (the bare file names its $refs use)."""
    resources = []
    for path in sorted(SUITE.rglob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(schema, dict) and "id" in schema:
            resources.append((schema["id"], Resource.from_contents(schema, DRAFT4)))
    return Registry().with_resources(resources)


def validator(schema, registry):
    return Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker):
    """The seed loaded, and through real HTTP: every public citation's Annotation, a source's
    collection and its first page, and a filtered list's collection and a later page."""
    with django_db_blocker.unblock():
        call_command("load_seed", verbosity=0)
        client = Client()
        public = Citation.objects.public().with_published_target().order_by("pk")
        found = {"annotations": {}}
        for citation in public:
            response = client.get(f"/citations/{citation.pk}/", HTTP_ACCEPT="application/ld+json")
            assert response.status_code == 200
            found["annotations"][citation.pk] = response.json()
        source = Source.objects.published().filter(citations__in=public).order_by("slug").first()
        found["collection"] = client.get(f"/sources/{source.slug}/annotations/").json()
        found["page"] = client.get(found["collection"]["first"]).json()
        size, annotations.PAGE_SIZE = annotations.PAGE_SIZE, 5
        try:
            first = client.get("/quotes/?sort=oldest&format=annotations&page=1").json()
            found["later_page"] = client.get(first["next"]).json()
        finally:
            annotations.PAGE_SIZE = size
        found["list_collection"] = client.get(
            "/quotes/?issue=tariffs", HTTP_ACCEPT="application/ld+json"
        ).json()
    return found


def test_dates_and_uris_are_really_checked(registry):
    """Without rfc3339-validator and rfc3986-validator, jsonschema passes any date and URI."""
    checker = Draft4Validator.FORMAT_CHECKER
    assert not checker.conforms("2025-07-29 noon", "date-time")
    assert not checker.conforms("not a uri", "uri")
    assert checker.conforms("2025-07-29T20:30:13Z", "date-time")


@pytest.mark.parametrize("assertion", musts())
def test_every_seed_annotation_meets_each_must(assertion, registry, served):
    schema = json.loads((SUITE / assertion).read_text(encoding="utf-8"))
    assert schema["expectedResult"] == "valid"
    check = validator(schema, registry)
    assert len(served["annotations"]) > 30
    for pk, data in served["annotations"].items():
        errors = [error.message for error in check.iter_errors(data)]
        assert not errors, (pk, schema.get("errorMessage"), errors[:3])


COLLECTION_DEFINITIONS = [
    "annotationCollectionTypeValueFound",
    "labelDefinition",
    "totalDefinition",
    "firstValidIfPresent",
    "firstRequiredIfTotalMoreThanZero",
    "lastValidIfPresent",
]
PAGE_DEFINITIONS = [
    "annotationPageTypeValueFound",
    "partOfValidIfPresent",
    "nextValidIfPresent",
    "prevValidIfPresent",
    "startIndexDefinition",
    "itemsFound",
]


@pytest.mark.parametrize(
    "kind, definitions",
    [
        ("collection", COLLECTION_DEFINITIONS),
        ("list_collection", COLLECTION_DEFINITIONS),
        ("page", PAGE_DEFINITIONS),
        ("later_page", PAGE_DEFINITIONS),
    ],
)
def test_collections_and_pages_meet_the_suite_definitions(kind, definitions, registry, served):
    data = served[kind]
    assert data["@context"][0] == CONTEXT_URL
    for name in definitions:
        check = validator({"$ref": f"collections.json#/definitions/{name}"}, registry)
        errors = [error.message for error in check.iter_errors(data)]
        assert not errors, (kind, name, errors[:3])


def offline_loader(context):
    def load(url, options=None):
        if url.rstrip("/") != CONTEXT_URL:
            raise jsonld.JsonLdError(f"Not kept offline: {url}", "loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return load


@pytest.fixture(scope="module")
def expand(conformance_dir):
    context = json.loads((SUITE / "anno.jsonld").read_text(encoding="utf-8"))
    loader = offline_loader(context)
    return lambda data: jsonld.expand(data, {"documentLoader": loader})


def test_annotations_expand_with_their_motivation_selectors_and_target(expand, served):
    for pk, data in served["annotations"].items():
        (expanded,) = expand(data)
        assert expanded["@id"] == data["id"], pk
        assert expanded["@type"] == [f"{OA}Annotation"]
        assert expanded[f"{OA}motivatedBy"] == [{"@id": f"{OA}quoting"}]
        (target,) = expanded[f"{OA}hasTarget"]
        assert target["@type"] == [f"{OA}SpecificResource"]
        assert target[f"{OA}hasSource"] == [{"@id": data["target"]["source"]}]
        selectors = {s["@type"][0]: s for s in target[f"{OA}hasSelector"]}
        quote = selectors[f"{OA}TextQuoteSelector"]
        assert quote[f"{OA}exact"] == [{"@value": data["target"]["selector"][0]["exact"]}]
        position = selectors[f"{OA}TextPositionSelector"]
        assert position[f"{OA}start"][0]["@value"] == data["target"]["selector"][1]["start"]
        (state,) = target[f"{OA}hasState"]
        assert state["@type"] == [f"{OA}TimeState"]
        assert state[f"{OA}cachedSource"] == [{"@id": data["target"]["state"]["cached"]}]
        (body,) = expanded[f"{OA}hasBody"]
        assert body["@id"] == data["body"]["id"]


def test_a_page_expands_with_its_collection_and_items(expand, served):
    page = served["later_page"]
    (expanded,) = expand(page)
    assert expanded["@type"] == [f"{AS}OrderedCollectionPage"]
    (part_of,) = expanded[f"{AS}partOf"]
    assert part_of["@id"] == page["partOf"]["id"]
    assert expanded[f"{AS}startIndex"][0]["@value"] == page["startIndex"] > 0
    items = expanded[f"{AS}items"][0]["@list"]
    assert [item["@id"] for item in items] == [item["id"] for item in page["items"]]
    assert all(item[f"{OA}motivatedBy"] == [{"@id": f"{OA}quoting"}] for item in items)


def test_the_w3c_context_alone_has_no_term_for_quoting(expand):
    """Why each annotation adds {"quoting": "oa:quoting"} to its @context: with the W3C
    context alone, "quoting" expands to an address relative to the document."""
    (alone,) = expand(
        {"@context": CONTEXT_URL, "@id": "http://example.org/a", "motivation": "quoting"}
    )
    assert alone[f"{OA}motivatedBy"] != [{"@id": f"{OA}quoting"}]
