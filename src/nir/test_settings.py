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

# A second alias for the read-replica tests (tests/config/test_replica.py): a test mirror of
# default, so it reads the same test database. No router here: the rest of the suite runs on
# one database as an install without DATABASE_REPLICA_URL does, and the replica tests switch
# the router on themselves.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "TEST": {"MIRROR": "default"},
}
if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # As in production (settings.py): a write sent to the replica fails instead of passing.
    options = DATABASES["replica"].get("OPTIONS", {})  # noqa: F405
    DATABASES["replica"]["OPTIONS"] = {  # noqa: F405
        **options,
        "options": f"{options.get('options', '')} -c default_transaction_read_only=on".strip(),
    }
# Even when DATABASE_REPLICA_URL is set in the shell that runs the suite.
DATABASE_ROUTERS = []
