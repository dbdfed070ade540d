"""Settings for the test suite: the production settings with test-only defaults.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("NIR_SECRET_KEY", "test-suite-secret-key-not-for-production")
os.environ.setdefault("NIR_ALLOW_SYNTHETIC_IDS", "true")
# The API's rate limit counts in a cache that outlives each test; the test of the limit
# sets its own, the rest of the suite runs without one.
os.environ.setdefault("NIR_API_RATE_PER_MINUTE", "0")

from nir.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No persistent connections: the test database must be droppable when the suite ends.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
