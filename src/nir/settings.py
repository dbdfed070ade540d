"""Django settings, read strictly from the environment (see docs/configuration.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from nir.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.string("NIR_DATA_DIR", str(Path.cwd() / "data")))

DEBUG = env.boolean("NIR_DEBUG", False)
SECRET_KEY = env.optional_string("NIR_SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "NIR_SECRET_KEY is not set. Set it to a long random value, or set NIR_DEBUG=true "
            "for a local demo."
        )
    SECRET_KEY = "insecure-local-demo-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env.strings("NIR_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "nir.accounts",
    "nir.register",
    "nir.api",
    "nir.web",
    "nir.jobs",
    "nir.support",
    "nir.audit",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every page, download and API reply: Cache-Control: no-store (static files excepted).
    "nir.web.privacy.NoStoreMiddleware",
    # Before sessions and views: a control character in the address never reaches a query.
    "nir.web.request_limits.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After sessions and authentication: a user's own writes reach the cached pages' keys.
    "nir.web.counts.OwnWritesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "nir.urls"
WSGI_APPLICATION = "nir.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# An index's non-key columns (the change feed's, models.HistoryEvent) serve PostgreSQL;
# SQLite, which has none, builds the index without them, as intended.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'nir.sqlite3'}"
if env.optional_string("DATABASE_URL") is None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env.string("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None


def _postgresql_session(database: dj_database_url.DBConfig, *settings: str) -> None:
    """Settings for each of the register's sessions on PostgreSQL, beside any the URL gives.

    JIT compilation off: compiling the figures' queries cost more than it saved (at a
    million participations, 0.95 s of the 1.0 s the changes after the cut-off took, and
    5 s of the first national figures' 5.8 s; docs/deployment.md).
    """
    options: dict[str, Any] = database.setdefault("OPTIONS", {})
    given = options.get("options", "")
    # The URL's own after the register's default, so an operator's ``-c jit=on`` wins; the
    # settings the register requires (a replica's read-only) after both.
    options["options"] = " ".join(["-c jit=off", *filter(None, [given]), *settings])


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _postgresql_session(DATABASES["default"])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the sweep writes; IMMEDIATE avoids lock upgrades
    # failing mid-transaction under concurrent writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The tests' database is a file too, as the register's is: the live server's threads
    # then share it through SQLite's own locking, not the shared cache of a database in
    # memory, whose concurrent sessions could read one another's rows half written.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_nir.sqlite3")}

# A read replica for reports and statistics (docs/deployment.md): unset, one database and no
# router; set, a `replica` alias that only the scoped report reads use (nir.db_routers).
DATABASE_ROUTERS: list[str] = []
_replica_url = env.optional_string("DATABASE_REPLICA_URL")
if _replica_url is not None:
    try:
        _replica = dj_database_url.parse(_replica_url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a database URL: {error}") from None
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"] or not _replica["NAME"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must name a copy of the same kind of database as "
            "DATABASE_URL (postgres://user@replica-host:5432/nir)."
        )
    if _replica["ENGINE"] == "django.db.backends.postgresql":
        # A stand-by refuses writes anyway; this makes a misrouted write fail the same way
        # against a writable copy, instead of silently splitting the register in two.
        _postgresql_session(_replica, "-c default_transaction_read_only=on")
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["nir.db_routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve the apps' static files straight from the packages: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True

# Passwords: Argon2 first; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["nir.accounts.backends.LockoutBackend"]
# ID-porten (OpenID Connect). Without an issuer, only local accounts sign in.
NIR_OIDC = {
    "issuer": env.optional_string("NIR_OIDC_ISSUER") or "",
    "client_id": env.string("NIR_OIDC_CLIENT_ID", ""),
    "client_secret": env.string("NIR_OIDC_CLIENT_SECRET", ""),
}
NIR_LOGIN_MAX_FAILURES = env.integer("NIR_LOGIN_MAX_FAILURES", 5, minimum=1)
NIR_LOGIN_LOCKOUT_MINUTES = env.integer("NIR_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)

# Sessions and transport. Behind TLS in production; NIR_DEBUG relaxes only what a local
# demo over plain http needs.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.integer("NIR_SESSION_HOURS", 8, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else env.integer("NIR_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_SSL_REDIRECT = env.boolean("NIR_SSL_REDIRECT", False)
# Behind a TLS-terminating proxy, `nir serve` (gunicorn) takes the scheme from
# X-Forwarded-Proto, and only when the request came from one of these addresses or networks;
# Django then reads the scheme the server set, never the header itself (a client could send
# it), so SECURE_PROXY_SSL_HEADER stays unset.
NIR_TRUSTED_PROXIES = env.addresses("NIR_TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = None
if env.optional_string("NIR_BEHIND_TLS_PROXY") is not None:
    raise ImproperlyConfigured(
        "NIR_BEHIND_TLS_PROXY is no longer read: set NIR_TRUSTED_PROXIES to the proxy's "
        "address (e.g. 127.0.0.1) instead."
    )
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Request size: an API batch of 1,000 records fits well within 10 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.integer("NIR_MAX_REQUEST_MB", 10, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# A strict Content-Security-Policy: no inline scripts or styles, nothing from elsewhere.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
LOGIN_URL = "/logg-inn/"
LOGIN_REDIRECT_URL = "/"

# The dates the register accepts at all, in every form and API field.
_earliest_date = env.date("NIR_EARLIEST_DATE", dt.date(1900, 1, 1))
_latest_date = env.date("NIR_LATEST_DATE", dt.date(2100, 12, 31))
if _earliest_date >= _latest_date:
    raise ImproperlyConfigured("NIR_EARLIEST_DATE must be before NIR_LATEST_DATE.")
# The register's configurable rules (rules.md **Decisions**); see docs/rules.md.
NIR_RULES = {
    "automatic_end_offset_days": env.integer("NIR_AUTOMATIC_END_OFFSET_DAYS", 0, minimum=-1),
    "registration_window_months": env.integer("NIR_REGISTRATION_WINDOW_MONTHS", 2, minimum=0),
    "late_registration_max_months": env.integer("NIR_LATE_REGISTRATION_MAX_MONTHS", 12, minimum=0),
    "kap6a_expires": env.date_or_none("NIR_KAP6A_EXPIRES", dt.date(2026, 7, 1)),
    "group_without_sluttmaal": env.choice(
        "NIR_GROUP_WITHOUT_SLUTTMAAL",
        "p14_andre",
        ("p13", "p14_under_25", "p14_25_pluss_vgo", "p14_deler_vgo", "p14_andre"),
    ),
    "allow_synthetic_identity_numbers": env.boolean("NIR_ALLOW_SYNTHETIC_IDS", False),
    "leave_types_not_extending": env.strings("NIR_LEAVE_TYPES_NOT_EXTENDING", []),
    # Prop. 81 L (2024–2025): unset, the amendment is not in force (docs/rules.md §1-2).
    "prop81_in_force": env.date_or_none("NIR_PROP81_IN_FORCE", None),
    "outcome_excluded_reasons": env.strings(
        "NIR_OUTCOME_EXCLUDED_REASONS", ["flyttet", "utvandret", "dod"]
    ),
    "programme_lengths_file": env.optional_string("NIR_PROGRAMME_LENGTHS_FILE"),
    "programme_lengths_mode": env.choice(
        "NIR_PROGRAMME_LENGTHS_MODE", "extend", ("extend", "replace")
    ),
    "earliest_date": _earliest_date,
    "latest_date": _latest_date,
}
# The length table with any configured rows, checked now so a bad row stops start-up.
from nir.register.rule_config import check_rule_settings  # noqa: E402

check_rule_settings(NIR_RULES)

# Scheduled jobs, reminders and e-mail (see docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Django's cache holds the API's per-client request counts, ID-porten's published keys and
# what pages cache. Per process by default; with several processes behind a load balancer,
# `database` makes the API's rate limit hold across all of them (after
# `nir createcachetable`).
NIR_CACHE = env.choice("NIR_CACHE", "local", ("local", "database"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "nir_cache"}
        if NIR_CACHE == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The access log's hash chain is keyed (HMAC) with a key kept outside the database; without
# NIR_ACCESS_LOG_KEY it is derived from NIR_SECRET_KEY (set its own, so rotating the secret
# key does not make the log unverifiable). The daily checkpoint of every chain head is
# written, signed, to a folder outside the database that IMDi keeps (and backs up apart).
NIR_ACCESS_LOG_KEY = env.optional_string("NIR_ACCESS_LOG_KEY") or (
    "access-log:" + hashlib.sha256(SECRET_KEY.encode()).hexdigest()
)
NIR_ACCESS_LOG_CHECKPOINT_DIR = Path(
    env.string("NIR_ACCESS_LOG_CHECKPOINT_DIR", str(DATA_DIR / "innsynslogg-sjekkpunkter"))
)
# The daily review of the access log flags anyone who read more persons than this in a day.
NIR_ACCESS_ALERT_PERSONS_PER_DAY = env.integer("NIR_ACCESS_ALERT_PERSONS_PER_DAY", 300, minimum=1)
# Retention (see nir.register.services.retention); 0 years turns person anonymisation off.
NIR_RETENTION_PERSON_YEARS = env.integer("NIR_RETENTION_PERSON_YEARS", 10, minimum=0)
NIR_RETENTION_DIGEST_DAYS = env.integer("NIR_RETENTION_DIGEST_DAYS", 90, minimum=1)
# The secret behind research pseudonyms; without it no extract can be made.
NIR_PSEUDONYM_SECRET = env.optional_string("NIR_PSEUDONYM_SECRET") or ""
# Disclosure control (rules.md §8, §9): the least width of the interval an attacker may
# narrow a hidden count to from everything published, and k of research extracts.
NIR_PROTECTION_INTERVAL = env.integer("NIR_PROTECTION_INTERVAL", 3, minimum=1)
NIR_RESEARCH_K = env.integer("NIR_RESEARCH_K", 5, minimum=2)
NIR_BASE_URL = env.url("NIR_BASE_URL", "http://127.0.0.1:8000")
# A form posted from the register's public address passes the CSRF origin check even when
# the proxy hands the application another Host.
CSRF_TRUSTED_ORIGINS = [env.origin_of(NIR_BASE_URL)]
NIR_REMINDER_HORIZONS = sorted(set(env.integers("NIR_REMINDER_HORIZONS", [30, 7])), reverse=True)
NIR_WINDOW_REMINDER_DAYS = env.integer("NIR_WINDOW_REMINDER_DAYS", 14, minimum=1)
NIR_GRANT_EXPIRY_NOTICE_DAYS = env.integer("NIR_GRANT_EXPIRY_NOTICE_DAYS", 14, minimum=1)
NIR_JOB_LEASE_MINUTES = env.integer("NIR_JOB_LEASE_MINUTES", 30, minimum=1)
DEFAULT_FROM_EMAIL = env.string("NIR_EMAIL_FROM", "NIR <ikke-svar@nir.example>")
if env.optional_string("NIR_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env.string("NIR_EMAIL_HOST", ""),
                "port": env.integer("NIR_EMAIL_PORT", 587, minimum=1),
                "username": env.string("NIR_EMAIL_USER", ""),
                "password": env.string("NIR_EMAIL_PASSWORD", ""),
                "use_tls": env.boolean("NIR_EMAIL_TLS", True),
            },
        }
    }
else:
    # Without an SMTP server, e-mail is printed to the console (the demo shows it there).
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("NIR_LOG_LEVEL", "INFO")},
}

# --- Machine API ---
# Owned by the machine API (nir.api); see docs/api.md. ninja is listed so its docs page is
# served with the Swagger UI files from the installed package, never from a CDN.
INSTALLED_APPS += ["ninja"]
NIR_API = {
    # Maskinporten: a JWKS URL (https://…) or a file path; unset turns Maskinporten off.
    "maskinporten_jwks": env.optional_string("NIR_MASKINPORTEN_JWKS_URL"),
    "maskinporten_issuer": env.string("NIR_MASKINPORTEN_ISSUER", "https://maskinporten.no/"),
    "maskinporten_scope": env.string("NIR_MASKINPORTEN_SCOPE", "imdi:nir.fagsystem"),
    # Maskinporten sets "aud" only when the client asks for one; checked when configured.
    "maskinporten_audience": env.optional_string("NIR_MASKINPORTEN_AUDIENCE"),
    # How long a reply kept for an Idempotency-Key is repeated.
    "idempotency_hours": env.integer("NIR_API_IDEMPOTENCY_HOURS", 24, minimum=1),
}

# Requests a minute per API client before 429; 0 turns the limit off.
NIR_API_RATE_PER_MINUTE = env.integer("NIR_API_RATE_PER_MINUTE", 600, minimum=0)

# --- IMDi pages ---
INSTALLED_APPS += ["nir.imdi"]
