"""Test settings: the real settings, with a fast password hasher, plain static storage, and on
SQLite a test database in a file (in memory where the machine has /dev/shm).

A file, not SQLite's in-memory database: the browser tests' live server answers from threads of
its own, which must each have their own connection, as they would in a deployment (an in-memory
database is one connection shared by every thread, and concurrent requests collide on it).
"""

import os
import tempfile

from negotiations.settings import *  # noqa: F403
from negotiations.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    folder = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    name = os.path.join(folder, f"negotiations-test-{os.getpid()}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": name}
