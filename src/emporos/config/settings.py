"""Django settings. Every knob comes from an EMPOROS_* environment variable (or `.env`).

See the configuration table in README.md for what each variable does.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from emporos.config import env

BASE_DIR = Path(__file__).resolve().parent.parent
env.load_dotenv_once(Path.cwd())

DEBUG = env.flag("DEBUG", False)
VAR_DIR = Path(env.text("VAR_DIR", str(Path.cwd() / "var")))

_INSECURE_KEY = "insecure-development-key-set-EMPOROS_SECRET_KEY-in-production"
SECRET_KEY = env.text("SECRET_KEY", _INSECURE_KEY)
PRODUCTION = env.flag("PRODUCTION", False)
if PRODUCTION and SECRET_KEY == _INSECURE_KEY:
    raise ImproperlyConfigured("EMPOROS_SECRET_KEY must be set when EMPOROS_PRODUCTION is true.")

ALLOWED_HOSTS = env.items("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_FAILURE_VIEW = "emporos.desk.views.errors.csrf_failure"
CSRF_TRUSTED_ORIGINS = env.items("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "emporos.core",
    "emporos.outbox",
    "emporos.timeline",
    "emporos.shop",
    "emporos.access",
    "emporos.customers",
    "emporos.catalog",
    "emporos.inventory",
    "emporos.orders",
    "emporos.shipping",
    "emporos.fulfillment",
    "emporos.returns",
    "emporos.notifications",
    "emporos.feedback",
    "emporos.help",
    "emporos.support",
    "emporos.integrations",
    "emporos.api",
    "emporos.desk",
    "emporos.portal",
]

# The Desk* entries are Django's own, skipped for /api/ and /anymail/ (emporos.config.middleware).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "emporos.config.middleware.DeskSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "emporos.config.middleware.DeskAuthenticationMiddleware",
    "emporos.config.middleware.DeskMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "emporos.config.middleware.DeskHtmxMiddleware",
    "emporos.desk.middleware.ShopTimeZoneMiddleware",
    "emporos.api.middleware.MethodNotAllowedProblem",
    "emporos.integrations.mail_inbound.LargeInboundMail",
]

ROOT_URLCONF = "emporos.config.urls"
WSGI_APPLICATION = "emporos.config.wsgi.application"

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
                "emporos.desk.context.desk",
                "emporos.locale.offered.languages",
            ],
        },
    },
]


def _database(url: str) -> dict[str, object]:
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'emporos.sqlite3'}"
    try:
        # A connection is kept for this many seconds and reused by the thread's next requests;
        # 0 opens one per request (bench/README.md measures both).
        keep = env.integer("DATABASE_CONN_MAX_AGE", 60)
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=keep, conn_health_checks=True))
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMPOROS_DATABASE_URL is not a database URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
        # with "database is locked" on a read-to-write upgrade; WAL lets readers run beside them.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, checking a kept connection without a round trip (its docstring).
        config["ENGINE"] = "emporos.config.postgresql"
        # Server-side binding with prepared statements halves PostgreSQL's CPU per order (bench/).
        # Behind PgBouncer in transaction mode, set EMPOROS_DATABASE_PREPARED=false.
        if env.flag("DATABASE_PREPARED", True):
            config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
    else:
        raise ImproperlyConfigured("EMPOROS_DATABASE_URL must be a sqlite:// or postgres:// URL.")
    return config


DATABASES = {"default": _database(env.text("DATABASE_URL", ""))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The model backend behind the failed sign-in throttle: every authenticate() call obeys it (ADR 0009).
AUTHENTICATION_BACKENDS = ["emporos.access.backends.ThrottledModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    (code, name)
    for code, name in [("en", "English"), ("el", "Ελληνικά"), ("pl", "Polski"), ("he", "עברית")]
    if code in env.items("LANGUAGES", "en,el,pl,he")
]
if not LANGUAGES:
    raise ImproperlyConfigured("EMPOROS_LANGUAGES must name at least one of en, el, pl, he.")
TIME_ZONE = env.text("TIME_ZONE", "Europe/Athens")
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["emporos.config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded and generated files (digital goods, carriers' labels): ./var/media unless set, or a
# bucket through django-storages (STORAGES["default"]).
MEDIA_ROOT = env.text("MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "desk:login"
SESSION_COOKIE_AGE = env.integer("SESSION_HOURS", 12) * 3600
PASSWORD_RESET_TIMEOUT = 3600

# E-mail: SMTP when EMPOROS_EMAIL_HOST is set; otherwise each message is written as a file into
# EMPOROS_EMAIL_FILE_DIR (the demo's var/mail), or printed on the console.
EMAIL_HOST = env.text("EMAIL_HOST", "")
EMAIL_FILE_PATH = env.text("EMAIL_FILE_DIR", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
    if EMAIL_FILE_PATH
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env.integer("EMAIL_PORT", 587)
EMAIL_HOST_USER = env.text("EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env.text("EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env.flag("EMAIL_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.text("EMAIL_FROM", "Emporos <noreply@localhost>")
# Or a provider's HTTP API through django-anymail: EMPOROS_EMAIL_PROVIDER=postmark,
# with ANYMAIL settings from EMPOROS_ANYMAIL_* (e.g. EMPOROS_ANYMAIL_POSTMARK_SERVER_TOKEN).
EMAIL_PROVIDER = env.text("EMAIL_PROVIDER", "").lower()
if EMAIL_PROVIDER:
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
# Also for providers' inbound webhooks (support mail), whatever sends the shop's own mail:
# EMPOROS_ANYMAIL_WEBHOOK_SECRET="user:password" guards /anymail/<provider>/inbound/.
ANYMAIL = {
    key.removeprefix("EMPOROS_ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("EMPOROS_ANYMAIL_")
}

# A storefront order is small; anything larger is refused before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.integer("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "emporos": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
        "django_tasks_db": {"handlers": ["console"], "level": "WARNING"},
        # Server errors (500) appear on the console, with their traceback.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# --- Emporos's own settings -----------------------------------------------------------------
EMPOROS: dict[str, Any] = {
    "SHOP_NAME": env.text("SHOP_NAME", "Emporos Shop"),
    "CURRENCY": env.text("CURRENCY", "EUR").upper(),
    "CURRENCIES": [code.upper() for code in env.items("CURRENCIES", env.text("CURRENCY", "EUR") + ",PLN,ILS")],
    "OVERDUE_WORKING_HOURS": env.decimal("OVERDUE_WORKING_HOURS", "4"),
    # Business hours: weekday numbers (Monday is 1) and the opening hours, in TIME_ZONE.
    "BUSINESS_DAYS": [int(day) for day in env.items("BUSINESS_DAYS", "1,2,3,4,5")],
    "BUSINESS_HOURS": env.text("BUSINESS_HOURS", "09:00-17:00"),
    # Where the shop dispatches from (its public holidays) and the day's cut-offs: an order in by a
    # cut-off leaves that working day; after the last one, the next working day.
    "SHOP_COUNTRY": env.text("SHOP_COUNTRY", "GR").upper(),
    "CUTOFF_TIMES": env.items("CUTOFF_TIMES", "12:00,17:00"),
    "ORDER_RECEIVED_CHANNELS": env.items("ORDER_RECEIVED_CHANNELS", "email"),
    # Fulfillment: the most orders a wave takes (0: no limit; express orders are taken first),
    # the thank-you coupon on packing slips (percent off the next order, days valid; 0: none),
    # digital downloads (days a link works, downloads per link) and the 3PL file-drop folder.
    "WAVE_CAPACITY": env.integer("WAVE_CAPACITY", 0),
    "SLIP_COUPON_PERCENT": env.decimal("SLIP_COUPON_PERCENT", "10"),
    "SLIP_COUPON_DAYS": env.integer("SLIP_COUPON_DAYS", 90),
    "DOWNLOAD_DAYS": env.integer("DOWNLOAD_DAYS", 7),
    "DOWNLOAD_LIMIT": env.integer("DOWNLOAD_LIMIT", 5),
    "THIRD_PARTY_DIR": env.text("THIRD_PARTY_DIR", str(VAR_DIR / "3pl")),
    # Exchanges: a customer with at least this many completed orders and no rejected return is
    # trusted: their replacement ships before the returned goods are back.
    "TRUSTED_CUSTOMER_ORDERS": env.integer("TRUSTED_CUSTOMER_ORDERS", 3),
    # Tracking: working hours (Monday to Friday) a parcel may go without a carrier scan before a
    # no_scan delay case opens; how many parcels one polling call asks a carrier about.
    "TRACKING_SILENCE_HOURS": env.integer("TRACKING_SILENCE_HOURS", 48),
    "TRACKING_POLL_BATCH": env.integer("TRACKING_POLL_BATCH", 200),
    # The order status page: days a signed link in a message keeps working.
    "STATUS_LINK_DAYS": env.integer("STATUS_LINK_DAYS", 365),
    # The shop's public address: links in messages to customers start with it.
    "PUBLIC_URL": env.text("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
    # Refunds paid by bank transfer: the shop's own account the SEPA file pays them from (the
    # desk refuses the export while the name or the IBAN is empty; the BIC may be left out).
    "SEPA_DEBTOR_NAME": env.text("SEPA_DEBTOR_NAME", ""),
    "SEPA_DEBTOR_IBAN": env.text("SEPA_DEBTOR_IBAN", ""),
    "SEPA_DEBTOR_BIC": env.text("SEPA_DEBTOR_BIC", ""),
    # Support: an order worth at least this (in the shop's currency) makes its tickets high
    # priority; the agent minutes one ticket takes on average, for the reply-by time promised while
    # there is a backlog; days after solving in which a reply reopens the ticket (later: a new one).
    "SUPPORT_HIGH_VALUE": env.decimal("SUPPORT_HIGH_VALUE", "200"),
    "SUPPORT_MINUTES_PER_TICKET": env.integer("SUPPORT_MINUTES_PER_TICKET", 10),
    "SUPPORT_REOPEN_DAYS": env.integer("SUPPORT_REOPEN_DAYS", 30),
    # Messages to customers: the noise budget (per order, channel and day) and quiet hours in the
    # customer's time zone (empty: none), until the owner saves their own; the SMS backend
    # (console, file:/path, smsapi) and SMSAPI.pl's credentials.
    "MESSAGES_PER_ORDER_DAY": env.integer("MESSAGES_PER_ORDER_DAY", 5),
    "QUIET_HOURS": os.environ.get("EMPOROS_QUIET_HOURS", "21:00-08:00").strip(),
    # Kinds also sent by SMS (every kind goes by e-mail; "order received" by ORDER_RECEIVED_CHANNELS).
    "SMS_KINDS": env.items("SMS_KINDS", "shipped,out_for_delivery,ready_for_pickup,problem"),
    # What a customer whose parcel is late may ask for: another pickup point, a new delivery
    # day, cancelling the undelivered part.
    "DELAY_OPTIONS": env.items("DELAY_OPTIONS", "pickup_point,delivery_day,cancel_rest"),
    "SMS_BACKEND": env.text("SMS_BACKEND", "console"),
    # The satisfaction check after delivery (L7): on or off, and how many hours after the last
    # parcel was delivered the customer is asked how it went.
    "SATISFACTION_CHECKS": env.flag("SATISFACTION_CHECKS", True),
    "SATISFACTION_DELAY_HOURS": env.integer("SATISFACTION_DELAY_HOURS", 24),
    "SMSAPI": {
        "API_URL": env.text("SMSAPI_API_URL", "https://api.smsapi.pl"),
        "TOKEN": env.text("SMSAPI_TOKEN", ""),
        "SENDER": env.text("SMSAPI_SENDER", ""),
    },
    # Support e-mail in (README, "Support e-mail in"): the shop's support mailbox, polled by the
    # worker every IMAP_POLL_SECONDS (empty: not polled), and a CA bundle for a self-signed IMAP
    # server; the SMTP listener of `emporos mail-in` for mail forwarded to the shop, the addresses it
    # takes mail for (empty: the shop's e-mail address and EMPOROS_EMAIL_FROM; answers go out with
    # the first as Reply-To) and the largest message.
    "IMAP_URL": env.text("IMAP_URL", ""),
    "IMAP_CA_FILE": env.text("IMAP_CA_FILE", ""),
    "IMAP_POLL_SECONDS": env.integer("IMAP_POLL_SECONDS", 60),
    "MAIL_IN_HOST": env.text("MAIL_IN_HOST", "127.0.0.1"),
    "MAIL_IN_PORT": env.integer("MAIL_IN_PORT", 2525),
    "MAIL_IN_MAX_BYTES": env.integer("MAIL_IN_MAX_BYTES", 25 * 1024 * 1024),
    "SUPPORT_ADDRESSES": [address.lower() for address in env.items("SUPPORT_ADDRESSES", "")],
    "OUTBOX_MAX_ATTEMPTS": env.integer("OUTBOX_MAX_ATTEMPTS", 8),
    "OUTBOX_BACKOFF_SECONDS": env.integer("OUTBOX_BACKOFF_SECONDS", 10),
    # Reverse proxies in front of the web server that append to X-Forwarded-For (0: none).
    "PROXY_HOPS": env.integer("PROXY_HOPS", 0),
    # Carriers (README, "Carriers"). Read when an adapter is built; while a credential is empty the
    # adapter refuses to call out and names what to set. BOX NOW starts on its test system.
    "BOXNOW": {
        "API_URL": env.text("BOXNOW_API_URL", "https://api-stage.boxnow.gr"),
        "CLIENT_ID": env.text("BOXNOW_CLIENT_ID", ""),
        "CLIENT_SECRET": env.text("BOXNOW_CLIENT_SECRET", ""),
        "PARTNER_ID": env.text("BOXNOW_PARTNER_ID", ""),
        "ORIGIN_ID": env.text("BOXNOW_ORIGIN_ID", ""),
        "RETURN_DESTINATION_ID": env.text("BOXNOW_RETURN_DESTINATION_ID", ""),
        "WEBHOOK_SECRET": env.text("BOXNOW_WEBHOOK_SECRET", ""),
    },
    "INPOST": {
        "API_URL": env.text("INPOST_API_URL", "https://api-shipx-pl.easypack24.net"),
        "TOKEN": env.text("INPOST_TOKEN", ""),
        "ORGANIZATION_ID": env.text("INPOST_ORGANIZATION_ID", ""),
        "WEBHOOK_SECRET": env.text("INPOST_WEBHOOK_SECRET", ""),
    },
    # Payment providers (README, "Refunds through Stripe"). Read when an adapter is built; without
    # the secret key the adapter refuses to call out and names what to set.
    "STRIPE": {
        "API_URL": env.text("STRIPE_API_URL", "https://api.stripe.com"),
        "SECRET_KEY": env.text("STRIPE_SECRET_KEY", ""),
        "WEBHOOK_SECRET": env.text("STRIPE_WEBHOOK_SECRET", ""),
    },
    # Reviews on the shop's platforms (README, "Reviews on Google"): the Business Profile location
    # (accounts/<id>/locations/<id>) and an OAuth access token with the business.manage scope. With
    # either set, the worker reads the platform every REVIEWS_POLL_SECONDS; with neither, it is off.
    "GOOGLE_REVIEWS": {
        "API_URL": env.text("GOOGLE_REVIEWS_API_URL", "https://mybusiness.googleapis.com"),
        "LOCATION": env.text("GOOGLE_REVIEWS_LOCATION", ""),
        "TOKEN": env.text("GOOGLE_REVIEWS_TOKEN", ""),
    },
    "REVIEWS_POLL_SECONDS": env.integer("REVIEWS_POLL_SECONDS", 900),
}
# The review platforms the environment sets up (read by the poll job and the desk).
EMPOROS["REVIEW_SOURCES"] = [
    code for code, config in (("google", EMPOROS["GOOGLE_REVIEWS"]),) if config["LOCATION"] or config["TOKEN"]
]
if EMPOROS["REVIEWS_POLL_SECONDS"] < 60:
    raise ImproperlyConfigured("EMPOROS_REVIEWS_POLL_SECONDS must be at least 60 (seconds between readings).")
if EMPOROS["IMAP_POLL_SECONDS"] < 1:
    raise ImproperlyConfigured("EMPOROS_IMAP_POLL_SECONDS must be at least 1 (seconds between polls).")
