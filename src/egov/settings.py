"""One settings module for every environment, configured by environment variables.

DJANGO_ENV selects the defaults: ``development`` (the default: `make run`, tests) or
``production`` (secure cookies, HSTS, TOTP for staff, a SECRET_KEY that must be given).
Every variable is documented in docs/operations.md.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from egov.core.fonts import font_file

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("EGOV_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise RuntimeError("DJANGO_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
# Development shows the platform's 404 page; 1 shows Django's debug page with the URL patterns.
EGOV_DEBUG_404 = env_bool("EGOV_DEBUG_404", False)

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret-key-never-use-in-production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # Before the task library: its db_worker command is shadowed by one that outlasts outages.
    "egov.core",
    "django_tasks",
    "django_tasks_db",
    "egov.organizations",
    "egov.accounts",
    "egov.catalog",
    "egov.dossiers",
    "egov.portal",
    "egov.backoffice",
    "egov.notifications",
    "egov.demo",
    "egov.signatures",
    "egov.queueing",
    "egov.postal",
    "egov.payments",
    "egov.reports",
    "egov.documents",
    "egov.personnel",
    "egov.feedback",
    "egov.indicators",
    "egov.digitization",
    "egov.national_portal",
    "egov.exchange",
]

MIDDLEWARE = [
    "egov.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.core.middleware.LanguageMiddleware",
    "egov.core.middleware.UnavailableMiddleware",
    "egov.core.nul.NulAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "egov.core.middleware.NotFoundPageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "egov.accounts.middleware.StaffTwoFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Axes must be last: it turns a lock-out into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"
ASGI_APPLICATION = "egov.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "egov" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "egov.core.context_processors.site",
                "egov.backoffice.context_processors.staff",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# SQLite (WAL, immediate transactions so concurrent writers queue instead of failing) by default;
# PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'egov.sqlite3'}")
# Each web or worker process keeps its connection between requests (DB_CONN_MAX_AGE seconds;
# "None": for its whole life) instead of opening one per request.
_conn_max_age = os.environ.get("DB_CONN_MAX_AGE", "600")


def _postgresql_options(database: dict) -> None:
    # A kept connection is checked (one round trip) before its first use in each request, so a
    # restarted database costs no failed request; a pooler in front can make it unnecessary.
    database["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", True)
    # PostgreSQL compiles a query to machine code when its estimated cost is high: 170 ms of
    # CPU for a name search at 20 million dossiers that then ran in 300 ms. The platform's
    # queries are short and many; DB_JIT=1 gives PostgreSQL's own setting back.
    if not env_bool("DB_JIT", False):
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"


DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=None if _conn_max_age == "None" else int(_conn_max_age)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    _postgresql_options(DATABASES["default"])
# The statistics read their aggregates from a replica when one is given (the primary keeps the
# writes; a report may then lag the primary by the replication delay). In tests the alias
# mirrors the default database.
REPORTS_DATABASE_URL = os.environ.get("REPORTS_DATABASE_URL", "")
if REPORTS_DATABASE_URL:
    DATABASES["reports"] = dj_database_url.parse(
        REPORTS_DATABASE_URL,
        conn_max_age=None if _conn_max_age == "None" else int(_conn_max_age),
    )
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["reports"]["ENGINE"] != "django.db.backends.sqlite3":
        _postgresql_options(DATABASES["reports"])
EGOV_REPORTS_DATABASE = "reports" if REPORTS_DATABASE_URL else "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every process (rate limits, throttles) ----------------------------------
# The database by default (one less service to run); Redis at scale: CACHE_URL=redis://host:6379/1
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {
        "BACKEND": "egov.core.cache.RedisCache",
        "LOCATION": CACHE_URL,
    }
    if CACHE_URL.startswith("redis")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "egov_cache",
    }
}
RATELIMIT_VIEW = "egov.core.views.rate_limited"

# Reverse proxies of our own in front of the web processes (0: clients connect directly). Rate
# limits and lock-outs key on the client's address: X-Forwarded-For is believed only for the
# entries our proxies appended, or anyone could escape a limit by sending the header.
EGOV_NUM_PROXIES = int(os.environ.get("EGOV_NUM_PROXIES", "0"))
NINJA_NUM_PROXIES = EGOV_NUM_PROXIES
RATELIMIT_IP_META_KEY = "egov.core.clientaddr.client_address"

# --- Background tasks ---------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# What a 503 tells clients to wait while the database or cache cannot be reached.
EGOV_RETRY_AFTER_SECONDS = int(os.environ.get("EGOV_RETRY_AFTER_SECONDS", "5"))
# Long-running loops wait up to this long between retries while the database is away.
EGOV_OUTAGE_MAX_BACKOFF_SECONDS = float(os.environ.get("EGOV_OUTAGE_MAX_BACKOFF_SECONDS", "30"))
# How often each worker process writes its heartbeat, and after how long without one /healthz
# says a kind of worker is gone.
EGOV_HEARTBEAT_SECONDS = float(os.environ.get("EGOV_HEARTBEAT_SECONDS", "10"))
EGOV_HEARTBEAT_STALE_SECONDS = int(os.environ.get("EGOV_HEARTBEAT_STALE_SECONDS", "120"))
# A queued task older than this means no worker is taking work: /healthz reports it.
EGOV_TASK_QUEUE_STALE_SECONDS = int(os.environ.get("EGOV_TASK_QUEUE_STALE_SECONDS", "300"))

# --- Files --------------------------------------------------------------------------------------
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if os.environ.get("STORAGE_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["STORAGE_S3_BUCKET"],
            "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT_URL"),
            "region_name": os.environ.get("STORAGE_S3_REGION"),
            "access_key": os.environ.get("STORAGE_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("STORAGE_S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Staff must pass a TOTP second factor; in development it is asked only of staff who enrolled.
EGOV_STAFF_REQUIRE_2FA = env_bool("EGOV_STAFF_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "eGov")
# Enrolling an authenticator app needs a setup code from an administrator
# (egov.accounts.enrolment); hours a code stays valid.
EGOV_TOTP_SETUP_CODE_HOURS = float(os.environ.get("EGOV_TOTP_SETUP_CODE_HOURS", "24"))

# Lock-out after repeated failures, per user name and client address (django-axes), and per
# client address across user names (egov.accounts.lockout, counted in the shared cache).
AXES_HANDLER = "egov.accounts.lockout.AddressLimitedHandler"
EGOV_SIGNIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("EGOV_SIGNIN_ADDRESS_FAILURE_LIMIT", "30"))
EGOV_SIGNIN_ADDRESS_WINDOW_MINUTES = float(
    os.environ.get("EGOV_SIGNIN_ADDRESS_WINDOW_MINUTES", "15")
)
EGOV_SIGNIN_ADDRESS_COOLOFF_MINUTES = float(
    os.environ.get("EGOV_SIGNIN_ADDRESS_COOLOFF_MINUTES", "30")
)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "egov.accounts.views.locked_out"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_CLIENT_IP_CALLABLE = "egov.core.clientaddr.client_address"

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Transport security and headers -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if PRODUCTION:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Email --------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "egov@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Notifications: e-mail, SMS, Zalo (docs/notifications.md) ----------------------------------
# Each channel is an adapter chosen here; "off" leaves a channel out, "console" logs the message.
EGOV_NOTIFICATIONS = {
    "EMAIL_BACKEND": os.environ.get("NOTIFY_EMAIL_BACKEND", ""),  # empty: EMAIL_BACKEND
    "EMAIL_FROM": os.environ.get("NOTIFY_EMAIL_FROM", DEFAULT_FROM_EMAIL),
    "SMS_PROVIDER": os.environ.get("NOTIFY_SMS_PROVIDER", "off" if PRODUCTION else "console"),
    "ZALO_PROVIDER": os.environ.get("NOTIFY_ZALO_PROVIDER", "off" if PRODUCTION else "console"),
    "ESMS": {
        "BASE_URL": os.environ.get("ESMS_BASE_URL", "https://rest.esms.vn"),
        "API_KEY": os.environ.get("ESMS_API_KEY", ""),
        "SECRET_KEY": os.environ.get("ESMS_SECRET_KEY", ""),
        "BRANDNAME": os.environ.get("ESMS_BRANDNAME", ""),
        "SMS_TYPE": os.environ.get("ESMS_SMS_TYPE", "2"),
        "SANDBOX": env_bool("ESMS_SANDBOX", False),
        "CALLBACK_URL": os.environ.get("ESMS_CALLBACK_URL", ""),
        # Added to CallbackUrl as ?secret=…; a delivery report without it is refused.
        "CALLBACK_SECRET": os.environ.get("ESMS_CALLBACK_SECRET", ""),
    },
    "ZNS": {
        "BASE_URL": os.environ.get("ZNS_BASE_URL", "https://business.openapi.zalo.me"),
        "DEVELOPMENT_MODE": env_bool("ZNS_DEVELOPMENT_MODE", False),
        # Either a fixed access token, or the app's ID and secret to renew it with the refresh
        # token (seeded by ZNS_REFRESH_TOKEN or manage.py set_zalo_refresh_token).
        "ACCESS_TOKEN": os.environ.get("ZNS_ACCESS_TOKEN", ""),
        "APP_ID": os.environ.get("ZNS_APP_ID", ""),
        "APP_SECRET": os.environ.get("ZNS_APP_SECRET", ""),
        "REFRESH_TOKEN": os.environ.get("ZNS_REFRESH_TOKEN", ""),
        "OAUTH_URL": os.environ.get(
            "ZNS_OAUTH_URL", "https://oauth.zaloapp.com/v4/oa/access_token"
        ),
        # The OA secret key Zalo signs its webhooks with (X-ZEvent-Signature).
        "OA_SECRET_KEY": os.environ.get("ZNS_OA_SECRET_KEY", ""),
    },
    # Bounce webhooks are signed with HMAC-SHA256 of the body under this secret.
    "EMAIL_BOUNCE_SECRET": os.environ.get("NOTIFY_EMAIL_BOUNCE_SECRET", ""),
    # Brandname SMS accept only unaccented text unless the contract says otherwise.
    "SMS_STRIP_DIACRITICS": env_bool("NOTIFY_SMS_STRIP_DIACRITICS", True),
    "SMS_MAX_SEGMENTS": int(os.environ.get("NOTIFY_SMS_MAX_SEGMENTS", "2")),
    "HTTP_TIMEOUT_SECONDS": float(os.environ.get("NOTIFY_HTTP_TIMEOUT_SECONDS", "15")),
    # Retries: exponential back-off with jitter, capped, until the horizon; then "failed".
    "RETRY_BASE_SECONDS": float(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "30")),
    "RETRY_MAX_SECONDS": float(os.environ.get("NOTIFY_RETRY_MAX_SECONDS", "3600")),
    "RETRY_HORIZON_SECONDS": float(os.environ.get("NOTIFY_RETRY_HORIZON_SECONDS", str(3 * 86400))),
    # A worker owns the messages it claimed for this long; then another may take them over.
    "LEASE_SECONDS": float(os.environ.get("NOTIFY_LEASE_SECONDS", "300")),
    "BATCH_SIZE": int(os.environ.get("NOTIFY_BATCH_SIZE", "100")),
}

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "src" / "egov" / "locale"]
# Vietnamese numbers grouped by thousands where grouping is asked for (egov/core/formats).
FORMAT_MODULE_PATH = ["egov.core.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- The deployment -----------------------------------------------------------------------------
# The province this installation serves (statistics office code); dossier-side rows carry it.
EGOV_PROVINCE_CODE = os.environ.get("EGOV_PROVINCE_CODE", "92")
EGOV_SITE_NAME = os.environ.get("EGOV_SITE_NAME", "Cần Thơ")
# The port the platform serves on (`make run PORT=…` sets it). Every address that defaults to this
# machine follows it: the public address below (and the verification, payment return and postal
# webhook addresses made from it), the development PKI's responders (port + 790) and the local
# document exchange axis (port + 791); so one setting moves them all and two instances on one
# machine do not meet.
EGOV_PORT = int(os.environ.get("EGOV_PORT", "8000"))
# The public address of the portal, printed on receipts, signed documents and in messages (QR
# codes, links), and given to the payment gateway for the way back. Production must set it
# (`check --deploy` refuses this machine's address).
EGOV_PUBLIC_BASE_URL = os.environ.get(
    "EGOV_PUBLIC_BASE_URL", f"http://127.0.0.1:{EGOV_PORT}"
).rstrip("/")

# --- Digital signatures (docs/signatures.md) ------------------------------------------------------
# Private keys and token PINs are stored encrypted with a key derived from this value; production
# must set it (keep it apart from SECRET_KEY so that rotating one does not lose the other).
EGOV_SIGNING_KEY_ENCRYPTION_KEY = os.environ.get("EGOV_SIGNING_KEY_ENCRYPTION_KEY", "")
# PEM or DER files of the trusted root CAs, and of intermediate CAs that signers may omit.
EGOV_SIGNATURE_TRUST_ROOTS = env_list("EGOV_SIGNATURE_TRUST_ROOTS")
EGOV_SIGNATURE_INTERMEDIATES = env_list("EGOV_SIGNATURE_INTERMEDIATES")
# The development PKI (manage.py create_dev_pki) is trusted in development only, never in
# production.
EGOV_DEV_PKI_DIR = Path(os.environ.get("EGOV_DEV_PKI_DIR", VAR_DIR / "pki"))
EGOV_DEV_PKI_URL = os.environ.get("EGOV_DEV_PKI_URL", f"http://127.0.0.1:{EGOV_PORT + 790}")
EGOV_SIGNATURE_TRUST_DEV_PKI = (
    False if PRODUCTION else env_bool("EGOV_SIGNATURE_TRUST_DEV_PKI", True)
)
# RFC 3161 time-stamp authority for B-T and B-LT signatures.
EGOV_TSA_URL = os.environ.get("EGOV_TSA_URL", "" if PRODUCTION else f"{EGOV_DEV_PKI_URL}/tsa")
EGOV_SIGNATURE_NETWORK_TIMEOUT = int(os.environ.get("EGOV_SIGNATURE_NETWORK_TIMEOUT", "10"))
EGOV_SIGNATURE_DEFAULT_LEVEL = os.environ.get("EGOV_SIGNATURE_DEFAULT_LEVEL", "B-LT")
# "hard-fail": a certificate that names a CRL or OCSP responder that cannot be reached is refused.
EGOV_SIGNATURE_REVOCATION_MODE = os.environ.get("EGOV_SIGNATURE_REVOCATION_MODE", "hard-fail")
# An OCSP response or CRL is reused until its nextUpdate, at most this many seconds after it was
# fetched (0: asked again for every signature and verification). See signatures/revinfo.py.
EGOV_SIGNATURE_REVOCATION_CACHE_SECONDS = int(
    os.environ.get("EGOV_SIGNATURE_REVOCATION_CACHE_SECONDS", "3600")
)
# The PKCS#11 module (shared library) of the hardware tokens or HSM that hold signing keys.
EGOV_PKCS11_MODULE = os.environ.get("EGOV_PKCS11_MODULE", "")
# Public address of the verification page, printed as a QR code on signed documents.
EGOV_VERIFY_BASE_URL = os.environ.get("EGOV_VERIFY_BASE_URL", f"{EGOV_PUBLIC_BASE_URL}/xac-thuc/")
EGOV_SIGNATURE_MAX_UPLOAD_BYTES = int(os.environ.get("EGOV_SIGNATURE_MAX_UPLOAD_BYTES", "20971520"))
# The visible signature's and the drawn seal's font (its bold face beside it): the system's Noto
# Sans (fonts-noto-core) when installed, otherwise the one shipped in src/egov/core/fonts/.
EGOV_SIGNATURE_FONT = os.environ.get("EGOV_SIGNATURE_FONT", str(font_file("NotoSans-Regular")))

# --- Data sharing platform, LGSP (docs/exchange.md) -----------------------------------------------
# Fail closed: once a message log record has waited this many seconds for its RFC 3161
# time-stamp (the authority at EGOV_TSA_URL is away), the gateway refuses new calls.
EGOV_EXCHANGE_TIMESTAMP_MAX_AGE = int(os.environ.get("EGOV_EXCHANGE_TIMESTAMP_MAX_AGE", "600"))
# How often `manage.py stamp_message_log --loop` time-stamps the new records.
EGOV_EXCHANGE_TIMESTAMP_INTERVAL = int(os.environ.get("EGOV_EXCHANGE_TIMESTAMP_INTERVAL", "10"))
# A signed call is accepted this many seconds either side of its "iat" (and its nonce is kept
# twice as long, so that a replay inside the window is refused).
EGOV_EXCHANGE_CLOCK_WINDOW = int(os.environ.get("EGOV_EXCHANGE_CLOCK_WINDOW", "120"))
EGOV_EXCHANGE_PROVIDER_TIMEOUT = float(os.environ.get("EGOV_EXCHANGE_PROVIDER_TIMEOUT", "15"))
# Webhooks: a delivery that fails is tried again after 30 s, 1 min, 2 min … (at most this many
# seconds apart), and given up (kept as failed) after this many attempts.
EGOV_EXCHANGE_WEBHOOK_MAX_BACKOFF = int(os.environ.get("EGOV_EXCHANGE_WEBHOOK_MAX_BACKOFF", "3600"))
EGOV_EXCHANGE_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("EGOV_EXCHANGE_WEBHOOK_MAX_ATTEMPTS", "12"))
# The one-stop system's client of the population registry (docs/exchange.md, "Prefill at
# submission"): a JSON object with gateway_url, service, client, fingerprint, key_file. Unset:
# nothing is asked and citizens upload the papers.
EGOV_POPULATION_REGISTRY = json.loads(os.environ.get("EGOV_POPULATION_REGISTRY") or "null")
# The same for the civil status, business registration and land databases.
EGOV_CIVIL_STATUS_REGISTRY = json.loads(os.environ.get("EGOV_CIVIL_STATUS_REGISTRY") or "null")
EGOV_BUSINESS_REGISTRY = json.loads(os.environ.get("EGOV_BUSINESS_REGISTRY") or "null")
EGOV_LAND_REGISTRY = json.loads(os.environ.get("EGOV_LAND_REGISTRY") or "null")
# The registries' local servers (serve_*_registry, started by `make run`): port + 795 … + 798.
EGOV_POPULATION_REGISTRY_PORT = EGOV_PORT + 795
EGOV_CIVIL_STATUS_REGISTRY_PORT = EGOV_PORT + 796
EGOV_BUSINESS_REGISTRY_PORT = EGOV_PORT + 797
EGOV_LAND_REGISTRY_PORT = EGOV_PORT + 798
# Development: the file prepare_demo writes (var/demo-registries.json, the demo's one-stop client
# of the four local registries); `make run` names it here. A registry set above keeps its setting.
EGOV_DEMO_REGISTRIES = "" if PRODUCTION else os.environ.get("EGOV_DEMO_REGISTRIES", "")
if EGOV_DEMO_REGISTRIES and Path(EGOV_DEMO_REGISTRIES).is_file():
    _demo_registries = json.loads(Path(EGOV_DEMO_REGISTRIES).read_text())
    EGOV_POPULATION_REGISTRY = EGOV_POPULATION_REGISTRY or _demo_registries.get("population")
    EGOV_CIVIL_STATUS_REGISTRY = EGOV_CIVIL_STATUS_REGISTRY or _demo_registries.get("civil_status")
    EGOV_BUSINESS_REGISTRY = EGOV_BUSINESS_REGISTRY or _demo_registries.get("business")
    EGOV_LAND_REGISTRY = EGOV_LAND_REGISTRY or _demo_registries.get("land")

# --- Logging: personal identifiers are masked in every record -----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "egov.core.masking.MaskPersonalDataFilter"},
        "request_id": {"()": "egov.core.middleware.RequestIdLogFilter"},
        "drop_logged_outages": {"()": "egov.core.outage.DropLoggedOutages"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "mask_personal_data"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Libraries that narrate their work at INFO (every PDF's CSS steps, every font subset,
        # every CRL and OCSP fetch) buried the demo sign-ins and the development e-mails.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pyhanko": {"level": "WARNING"},
        "pyhanko_certvalidator": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},  # its version banner, once per process
        # A request that met an unreachable database answered 503; egov.outage logs the outage.
        "django.request": {"filters": ["drop_logged_outages"]},
    },
}

# In development WhiteNoise serves files straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Office hours used to count working time (giờ hành chính), comma-separated periods.
EGOV_WORKING_HOURS = os.environ.get("EGOV_WORKING_HOURS", "07:00-11:30,13:30-17:00")
# Public tracking by code: look-ups per client address, the page and the API counted together.
EGOV_TRACKING_RATE = os.environ.get("EGOV_TRACKING_RATE", "30/m")
# Days an applicant has to rate a dossier after its result was returned or it was refused.
EGOV_RATING_WINDOW_DAYS = int(os.environ.get("EGOV_RATING_WINDOW_DAYS", "30"))

# --- Queue numbers at the one-stop desks (docs/queueing.md) -----------------------------------
# Tickets one client address may take (kiosk page and API together); a kiosk is one address.
EGOV_QUEUE_ISSUE_RATE = os.environ.get("EGOV_QUEUE_ISSUE_RATE", "20/m")
EGOV_QUEUE_RETENTION_DAYS = int(os.environ.get("EGOV_QUEUE_RETENTION_DAYS", "90"))

# --- Operations dashboard (docs/index.md) -------------------------------------------------------
# How often an open dashboard asks for fresh figures (the wall screen of the operations centre too).
EGOV_DASHBOARD_REFRESH_SECONDS = int(os.environ.get("EGOV_DASHBOARD_REFRESH_SECONDS", "20"))

# --- Uploads ------------------------------------------------------------------------------------
# The largest number an e-form accepts where the form gives no maximum of its own, and the
# largest fee the platform assesses (both refused at submission, naming the field).
EGOV_EFORM_NUMBER_MAX = int(os.environ.get("EGOV_EFORM_NUMBER_MAX", str(10**12)))
EGOV_FEE_MAX = int(os.environ.get("EGOV_FEE_MAX", str(10**12)))
# Pages one digitised paper may have: the desk's OCR runs in the request (docs/digitization.md).
EGOV_DIGITIZATION_MAX_PAGES = int(os.environ.get("EGOV_DIGITIZATION_MAX_PAGES", "20"))
EGOV_UPLOAD_MAX_BYTES = int(os.environ.get("EGOV_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# "clamd" scans every upload (production default); "none" only for a development machine.
EGOV_MALWARE_SCANNER = os.environ.get("EGOV_MALWARE_SCANNER", "clamd" if PRODUCTION else "none")
EGOV_CLAMD_SOCKET = os.environ.get("EGOV_CLAMD_SOCKET", "")
EGOV_CLAMD_HOST = os.environ.get("EGOV_CLAMD_HOST", "127.0.0.1")
EGOV_CLAMD_PORT = int(os.environ.get("EGOV_CLAMD_PORT", "3310"))
EGOV_CLAMD_TIMEOUT = float(os.environ.get("EGOV_CLAMD_TIMEOUT", "30"))

# --- Single sign-on (OpenID Connect) -----------------------------------------------------------
EGOV_OIDC_ENABLED = env_bool("EGOV_OIDC_ENABLED", False)
EGOV_OIDC_NAME = os.environ.get("EGOV_OIDC_NAME", "VNeID")
EGOV_OIDC_DISCOVERY_URL = os.environ.get("EGOV_OIDC_DISCOVERY_URL", "")
EGOV_OIDC_CLIENT_ID = os.environ.get("EGOV_OIDC_CLIENT_ID", "")
EGOV_OIDC_CLIENT_SECRET = os.environ.get("EGOV_OIDC_CLIENT_SECRET", "")
EGOV_OIDC_SCOPES = os.environ.get("EGOV_OIDC_SCOPES", "openid profile email phone address")
# Which claim carries each profile field (providers differ; VNeID-style names can be set here).
EGOV_OIDC_CLAIM_NAME = os.environ.get("EGOV_OIDC_CLAIM_NAME", "name")
EGOV_OIDC_CLAIM_EMAIL = os.environ.get("EGOV_OIDC_CLAIM_EMAIL", "email")
EGOV_OIDC_CLAIM_PHONE = os.environ.get("EGOV_OIDC_CLAIM_PHONE", "phone_number")
EGOV_OIDC_CLAIM_BIRTHDATE = os.environ.get("EGOV_OIDC_CLAIM_BIRTHDATE", "birthdate")
EGOV_OIDC_CLAIM_ADDRESS = os.environ.get("EGOV_OIDC_CLAIM_ADDRESS", "address_text")
EGOV_OIDC_CLAIM_CITIZEN_ID = os.environ.get("EGOV_OIDC_CLAIM_CITIZEN_ID", "citizen_id")
# The claim that says how strongly the person was identified (VNeID level 1 or 2), and the
# values of it that mean level 2; any other value is level 1 (docs/national_portal.md).
EGOV_OIDC_CLAIM_IDENTITY_LEVEL = os.environ.get("EGOV_OIDC_CLAIM_IDENTITY_LEVEL", "acr")
EGOV_OIDC_LEVEL2_VALUES = [
    value.strip()
    for value in os.environ.get("EGOV_OIDC_LEVEL2_VALUES", "2,level2,muc2").split(",")
    if value.strip()
]

# --- Public postal service (docs/postal.md) ---------------------------------------------------
# The postal operator's API (booking) and the secret its status webhooks are signed with. In
# development they point at the local simulator, which production never serves.
EGOV_POSTAL_SIMULATOR = False if PRODUCTION else env_bool("EGOV_POSTAL_SIMULATOR", True)
# The enterprise that carries dossiers and results, as named in messages to citizens.
EGOV_POSTAL_CARRIER_NAME = os.environ.get("EGOV_POSTAL_CARRIER_NAME", "Bưu điện Việt Nam")
EGOV_POSTAL_OPERATOR = os.environ.get(
    "EGOV_POSTAL_OPERATOR", "egov.postal.operators.http.HttpOperator"
)
EGOV_POSTAL_API_URL = os.environ.get(
    "EGOV_POSTAL_API_URL", "" if PRODUCTION else f"{EGOV_PUBLIC_BASE_URL}/postal-simulator"
)
EGOV_POSTAL_API_KEY = os.environ.get(
    "EGOV_POSTAL_API_KEY", "" if PRODUCTION else "development-postal-api-key"
)
EGOV_POSTAL_WEBHOOK_SECRET = os.environ.get(
    "EGOV_POSTAL_WEBHOOK_SECRET", "" if PRODUCTION else "development-postal-webhook-secret"
)
EGOV_POSTAL_WEBHOOK_TOLERANCE_SECONDS = int(
    os.environ.get("EGOV_POSTAL_WEBHOOK_TOLERANCE_SECONDS", "300")
)
EGOV_POSTAL_TIMEOUT_SECONDS = float(os.environ.get("EGOV_POSTAL_TIMEOUT_SECONDS", "15"))
# Prices by zone and weight (JSON); empty: the packaged demo tariff.
EGOV_POSTAL_TARIFF_FILE = os.environ.get("EGOV_POSTAL_TARIFF_FILE", "")
# Booking retries when the operator cannot be reached: back-off doubles from this, this many times.
EGOV_POSTAL_BOOKING_RETRY_SECONDS = int(os.environ.get("EGOV_POSTAL_BOOKING_RETRY_SECONDS", "60"))
EGOV_POSTAL_BOOKING_MAX_ATTEMPTS = int(os.environ.get("EGOV_POSTAL_BOOKING_MAX_ATTEMPTS", "8"))
# --- Official documents and their exchange (docs/documents.md) --------------------------------
# The national document exchange axis (trục liên thông văn bản) this platform is connected to, with
# the system id and secret it was given. In development: the local axis (serve_exchange_axis).
EGOV_DOCUMENTS_EXCHANGE_URL = os.environ.get(
    "EGOV_DOCUMENTS_EXCHANGE_URL", "" if PRODUCTION else f"http://127.0.0.1:{EGOV_PORT + 791}"
)
EGOV_DOCUMENTS_EXCHANGE_SYSTEM_ID = os.environ.get(
    "EGOV_DOCUMENTS_EXCHANGE_SYSTEM_ID", "" if PRODUCTION else "egov-dev"
)
EGOV_DOCUMENTS_EXCHANGE_SECRET = os.environ.get(
    "EGOV_DOCUMENTS_EXCHANGE_SECRET", "" if PRODUCTION else "development-axis-secret"
)
EGOV_DOCUMENTS_EXCHANGE_TIMEOUT = float(os.environ.get("EGOV_DOCUMENTS_EXCHANGE_TIMEOUT", "30"))
# Back-off of the outbox while the axis is down: doubles from this, up to an hour; never gives up.
EGOV_DOCUMENTS_EXCHANGE_RETRY_SECONDS = int(
    os.environ.get("EGOV_DOCUMENTS_EXCHANGE_RETRY_SECONDS", "30")
)
# Seconds between two polls of the axis by `manage.py exchange_worker --loop`.
EGOV_DOCUMENTS_EXCHANGE_POLL_SECONDS = int(
    os.environ.get("EGOV_DOCUMENTS_EXCHANGE_POLL_SECONDS", "20")
)
# --- National Public Service Portal (docs/national_portal.md) ---------------------------------
# Whether dossier changes are queued for the portal (Cổng Dịch vụ công quốc gia): off until the
# province holds its connection (the outbox then fills from the next change on).
EGOV_NATIONAL_PORTAL_ENABLED = env_bool("EGOV_NATIONAL_PORTAL_ENABLED", False)
# The portal's address, the unit code (madonvi) and the user name and password the province was
# given for the portal's session token (POST to the auth path). In development: the local portal
# (manage.py serve_national_portal).
EGOV_NATIONAL_PORTAL_URL = os.environ.get(
    "EGOV_NATIONAL_PORTAL_URL", "" if PRODUCTION else f"http://127.0.0.1:{EGOV_PORT + 792}"
)
EGOV_NATIONAL_PORTAL_UNIT_CODE = os.environ.get(
    "EGOV_NATIONAL_PORTAL_UNIT_CODE", "" if PRODUCTION else "000.00.00.H13"
)
EGOV_NATIONAL_PORTAL_USERNAME = os.environ.get(
    "EGOV_NATIONAL_PORTAL_USERNAME", "" if PRODUCTION else "egov-development"
)
EGOV_NATIONAL_PORTAL_PASSWORD = os.environ.get(
    "EGOV_NATIONAL_PORTAL_PASSWORD", "" if PRODUCTION else "development-portal-password"
)
EGOV_NATIONAL_PORTAL_AUTH_PATH = os.environ.get("EGOV_NATIONAL_PORTAL_AUTH_PATH", "/api/auth")
EGOV_NATIONAL_PORTAL_TIMEOUT = float(os.environ.get("EGOV_NATIONAL_PORTAL_TIMEOUT", "20"))
# Back-off of the outbox while the portal is down: doubles from this, up to an hour; never gives up.
EGOV_NATIONAL_PORTAL_RETRY_SECONDS = int(os.environ.get("EGOV_NATIONAL_PORTAL_RETRY_SECONDS", "30"))
# Seconds between two rounds of `manage.py national_portal_worker --loop` when nothing is due.
EGOV_NATIONAL_PORTAL_POLL_SECONDS = float(os.environ.get("EGOV_NATIONAL_PORTAL_POLL_SECONDS", "5"))
# --- Citizen reports, Open311 (docs/feedback.md) -------------------------------------------------
EGOV_FEEDBACK_PHOTO_MAX_BYTES = int(os.environ.get("EGOV_FEEDBACK_PHOTO_MAX_BYTES", "10485760"))
EGOV_FEEDBACK_VIDEO_MAX_BYTES = int(os.environ.get("EGOV_FEEDBACK_VIDEO_MAX_BYTES", "52428800"))
EGOV_FEEDBACK_MAX_PHOTOS = int(os.environ.get("EGOV_FEEDBACK_MAX_PHOTOS", "5"))
# Days after the answer during which the reporter may rate it and reopen the report (once).
EGOV_FEEDBACK_REOPEN_DAYS = int(os.environ.get("EGOV_FEEDBACK_REOPEN_DAYS", "30"))
# "Due soon" in an agency's queue: the answer is due within this many working hours.
EGOV_FEEDBACK_DUE_SOON_HOURS = int(os.environ.get("EGOV_FEEDBACK_DUE_SOON_HOURS", "8"))
# Reports of one category closer than this are offered for merging as duplicates.
EGOV_FEEDBACK_DUPLICATE_RADIUS_M = int(os.environ.get("EGOV_FEEDBACK_DUPLICATE_RADIUS_M", "150"))
# The area the installation serves (south,west,north,east in degrees): a point outside is refused.
EGOV_FEEDBACK_AREA = tuple(
    float(part) for part in os.environ.get("EGOV_FEEDBACK_AREA", "9.2,105.2,10.5,106.5").split(",")
)
# The photo an Open311 client names by media_url is fetched and kept as a checked copy: networks
# besides the public internet it may point into (e.g. "10.20.0.0/16" for the city's own app
# servers), the time limit of one connection and one read (seconds; three times it for the whole
# file), and how many times an unreachable server is tried before the photo is given up.
EGOV_FEEDBACK_MEDIA_FETCH_NETWORKS = [
    part.strip()
    for part in os.environ.get("EGOV_FEEDBACK_MEDIA_FETCH_NETWORKS", "").split(",")
    if part.strip()
]
EGOV_FEEDBACK_MEDIA_FETCH_TIMEOUT = float(os.environ.get("EGOV_FEEDBACK_MEDIA_FETCH_TIMEOUT", "10"))
EGOV_FEEDBACK_MEDIA_FETCH_ATTEMPTS = int(os.environ.get("EGOV_FEEDBACK_MEDIA_FETCH_ATTEMPTS", "6"))
# Reports one client address may send from the portal form.
EGOV_FEEDBACK_SUBMIT_RATE = os.environ.get("EGOV_FEEDBACK_SUBMIT_RATE", "20/h")
# Open311: the jurisdiction_id clients may send, the most requests one GET returns, and the rate
# of the read calls without an API key (per client address).
EGOV_OPEN311_JURISDICTION = os.environ.get(
    "EGOV_OPEN311_JURISDICTION", urlsplit(EGOV_PUBLIC_BASE_URL).hostname or "localhost"
)
EGOV_OPEN311_MAX_REQUESTS = int(os.environ.get("EGOV_OPEN311_MAX_REQUESTS", "1000"))
EGOV_OPEN311_READ_RATE = os.environ.get("EGOV_OPEN311_READ_RATE", "120/m")
EGOV_OPEN311_CONTACT = os.environ.get("EGOV_OPEN311_CONTACT", DEFAULT_FROM_EMAIL)
# The map: no tiles unless the city gives its tile server ({z}/{x}/{y} in the address); the
# points are drawn on the communes' boundaries either way.
EGOV_FEEDBACK_TILE_URL = os.environ.get("EGOV_FEEDBACK_TILE_URL", "")
EGOV_FEEDBACK_TILE_ATTRIBUTION = os.environ.get("EGOV_FEEDBACK_TILE_ATTRIBUTION", "")
if EGOV_FEEDBACK_TILE_URL:
    _tiles = urlsplit(EGOV_FEEDBACK_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")

# --- Payments (docs/payments.md) -----------------------------------------------------------------
# Online payment is off in production until a gateway is chosen (and configured); "vnpay" for VNPAY.
EGOV_PAYMENT_GATEWAY = os.environ.get("EGOV_PAYMENT_GATEWAY", "" if PRODUCTION else "vnpay")
# The merchant's terminal code and secret, and the payment address, as VNPAY gives them.
VNPAY_TMN_CODE = os.environ.get("VNPAY_TMN_CODE", "" if PRODUCTION else "EGOVDEMO")
VNPAY_HASH_SECRET = os.environ.get(
    "VNPAY_HASH_SECRET", "" if PRODUCTION else "development-only-vnpay-secret"
)
VNPAY_URL = os.environ.get("VNPAY_URL", "")
# Further gateways a citizen may choose beside EGOV_PAYMENT_GATEWAY, comma-separated ("paygov").
EGOV_PAYMENT_GATEWAYS = [
    code.strip()
    for code in os.environ.get("EGOV_PAYMENT_GATEWAYS", "" if PRODUCTION else "paygov").split(",")
    if code.strip()
]
# The national payment platform (PayGov): merchant code and secret as PayGov issues them, and its
# payment address (empty with the simulator on: the local PayGov simulator).
PAYGOV_MERCHANT_CODE = os.environ.get("PAYGOV_MERCHANT_CODE", "" if PRODUCTION else "EGOVDEMO")
PAYGOV_SECRET = os.environ.get(
    "PAYGOV_SECRET", "" if PRODUCTION else "development-only-paygov-secret"
)
PAYGOV_URL = os.environ.get("PAYGOV_URL", "")
# PayGov's refund call (hoàn tiền); empty with the simulator on: the PayGov simulator's own.
PAYGOV_API_URL = os.environ.get("PAYGOV_API_URL", "")
# VNPAY's merchant API (refunds), e.g. https://sandbox.vnpayment.vn/merchant_webapi/api/transaction;
# empty with the simulator on: the simulator's own.
VNPAY_API_URL = os.environ.get("VNPAY_API_URL", "")
# A refund the gateway could not be asked for is tried again by a task, waiting this long and then
# twice as long each time, this many times at most; after that it waits for the desk or for
# `manage.py send_refunds` (which a cron job may run).
EGOV_PAYMENT_REFUND_RETRY_SECONDS = int(os.environ.get("EGOV_PAYMENT_REFUND_RETRY_SECONDS", "60"))
EGOV_PAYMENT_REFUND_MAX_ATTEMPTS = int(os.environ.get("EGOV_PAYMENT_REFUND_MAX_ATTEMPTS", "8"))
# This server's address as the gateway's merchant API sees it (vnp_IpAddr of a refund request).
EGOV_PAYMENT_SERVER_IP = os.environ.get("EGOV_PAYMENT_SERVER_IP", "127.0.0.1")
EGOV_PAYMENT_GATEWAY_TIMEOUT_SECONDS = float(
    os.environ.get("EGOV_PAYMENT_GATEWAY_TIMEOUT_SECONDS", "15")
)
# A local stand-in for the gateway that speaks its protocol (development and the demo). It can mark
# fees as paid, so it is never on in production whatever the environment says.
EGOV_PAYMENT_SIMULATOR = False if PRODUCTION else env_bool("EGOV_PAYMENT_SIMULATOR", True)
# Where the simulator sends its server-to-server notice; empty: this installation's own IPN address.
EGOV_PAYMENT_SIMULATOR_IPN_URL = os.environ.get("EGOV_PAYMENT_SIMULATOR_IPN_URL", "")
EGOV_PAYMENT_EXPIRY_MINUTES = int(os.environ.get("EGOV_PAYMENT_EXPIRY_MINUTES", "15"))
# A payment still waiting for the gateway this long after the gateway's own expiry is marked
# expired (abandoned); a late notice of success is still honoured (docs/payments.md).
EGOV_PAYMENT_EXPIRE_AFTER_MINUTES = int(os.environ.get("EGOV_PAYMENT_EXPIRE_AFTER_MINUTES", "30"))
if VNPAY_URL:
    # The browser is redirected to the gateway after posting the "pay" form: CSP must allow it.
    _gateway = urlsplit(VNPAY_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_gateway.scheme}://{_gateway.netloc}"
    )
