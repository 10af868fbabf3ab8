"""Test settings: the real settings, with a fast password hasher, plain static storage, and on
SQLite a test database in a file (in memory where the machine has /dev/shm).

A file, not SQLite's in-memory database: the browser tests' live server answers from threads of
its own, which must each have their own connection, as they would in a deployment (an in-memory
database is one connection shared by every thread, and concurrent requests collide on it).
"""

import os
import tempfile

from negotiations.settings import *  # noqa: F403
from negotiations.settings import CACHES, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    folder = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    name = os.path.join(folder, f"negotiations-test-{os.getpid()}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": name}

# Caching for anonymous visitors as in production (validators, 304s, Cache-Control), but with
# browsers told to check again every time (the browser tests reload pages an editor has just
# changed) and no page cache: most tests write inside a transaction that is rolled back, never
# committed, so the change stamp never moves inside them and a kept page would outlive their
# writes. tests/test_caching.py turns the page cache on where its writes commit.
HTTP_CACHE = True
HTTP_CACHE_MAX_AGE = 0
PAGE_CACHE_SECONDS = 0
# With REDIS_URL set (CI), each test process keeps its keys apart in the shared Redis.
CACHES["default"]["KEY_PREFIX"] = f"negotiations-test-{os.getpid()}"

# The import tests fetch pages from a local test server (127.0.0.1); the tests of the refusal
# of private addresses turn this off.
IMPORT_ALLOW_PRIVATE_ADDRESSES = True
