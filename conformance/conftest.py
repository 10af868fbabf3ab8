"""The conformance check: the project's output against standards' schemas and peers' test cases
kept outside the repository (CONFORMANCE_DIR, by default ../shared/conformance beside the clone).

It is not part of ``make test``, because a user's clone has no such folder; ``make conformance``
and ``.ci/run`` run it where the folder exists.
"""

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FOLDER = Path(os.environ.get("CONFORMANCE_DIR", REPO.parent / "shared" / "conformance"))


@pytest.fixture(scope="session")
def conformance_dir():
    if not FOLDER.is_dir():
        pytest.fail(f"No conformance material at {FOLDER}: set CONFORMANCE_DIR.", pytrace=False)
    return FOLDER


def load_cases(name):
    """The cases of one file, read at collection time (parametrised tests need them then)."""
    path = FOLDER / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
