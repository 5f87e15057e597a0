"""Configuration, read only from environment variables (see the README's table)."""

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
# Published in the code, so worth nothing: refused as a production key.
PUBLIC_SECRET_KEYS = {"dev-only-change-me", "change-me", "secret", "changeme"}
SECRET_KEY_MIN_BYTES = 32


class ConfigError(RuntimeError):
    """A setting production cannot start with; the message names the variable."""


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(url: str) -> str:
    # Accept the usual "postgresql://" URLs and use the psycopg 3 driver for them.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _secret_key(database_uri: str) -> str:
    """SECRET_KEY, required in production (a PostgreSQL database): at least 32 bytes and
    not a published default. The embedded default (SQLite) needs no setting: a random key
    is made once and kept in instance/secret_key, so sessions survive a restart."""
    key = os.environ.get("SECRET_KEY", "")
    if database_uri.startswith("postgresql"):
        if not key:
            raise ConfigError("SECRET_KEY is not set: production (a PostgreSQL DATABASE_URL) "
                              "needs a random value of at least 32 bytes, e.g. "
                              "python3 -c 'import secrets; print(secrets.token_hex(32))'")
        if key in PUBLIC_SECRET_KEYS or len(key.encode()) < SECRET_KEY_MIN_BYTES:
            raise ConfigError(f"SECRET_KEY is unsafe: use a random value of at least "
                              f"{SECRET_KEY_MIN_BYTES} bytes, not a published default")
        return key
    return key or _instance_secret_key()


def _instance_secret_key() -> str:
    path = INSTANCE_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        # Created readable by its owner only; a concurrent start keeps the first key.
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
                f.write(key)
        except FileExistsError:
            return path.read_text().strip()
        return key


class Config:
    SQLALCHEMY_DATABASE_URI = _database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'ct.sqlite3'}")
    )
    # On PostgreSQL the application connects with a role that owns nothing and is held by
    # row-level security; migrations run as the owner of the tables (docs/TENANCY.md).
    # Unset: migrations use DATABASE_URL (SQLite, or one role for both on a laptop).
    MIGRATION_DATABASE_URI = (
        _database_url(os.environ["MIGRATION_DATABASE_URL"])
        if os.environ.get("MIGRATION_DATABASE_URL") else None
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Without Redis nothing runs `flask rq cron`: the serving process runs the periodic
    # jobs itself (ct/core/clock.py). Off when Redis is there: the clock process does it.
    EMBEDDED_CLOCK = _bool("EMBEDDED_CLOCK", default=not REDIS_URL)

    # Public address used in links inside emails (no request is around in a job).
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "ct <no-reply@ct.localhost>")
    # Without a mail server (first run on a laptop), emails are printed to the log.
    MAIL_SUPPRESS_SEND = _bool("MAIL_SUPPRESS_SEND", default=not os.environ.get("MAIL_SERVER"))
    # Inbound mail (docs/EMAIL.md): the domain of the members' capture addresses (its MX
    # points at `flask ct capture-smtp`), where that service listens, the largest message
    # it takes and the most recipients of one message.
    MAIL_CAPTURE_DOMAIN = os.environ.get("MAIL_CAPTURE_DOMAIN", "capture.ct.localhost").lower()
    CAPTURE_SMTP_HOST = os.environ.get("CAPTURE_SMTP_HOST", "0.0.0.0")
    CAPTURE_SMTP_PORT = int(os.environ.get("CAPTURE_SMTP_PORT", "2525"))
    CAPTURE_MAX_BYTES = int(os.environ.get("CAPTURE_MAX_BYTES", str(25 * 1024 * 1024)))
    CAPTURE_MAX_RECIPIENTS = int(os.environ.get("CAPTURE_MAX_RECIPIENTS", "20"))
    # Certificate and key (PEM files) for the capture service's STARTTLS; unset: no TLS.
    CAPTURE_TLS_CERT = os.environ.get("CAPTURE_TLS_CERT") or None
    CAPTURE_TLS_KEY = os.environ.get("CAPTURE_TLS_KEY") or None
    # Days a captured email's raw message is kept once logged or dismissed.
    CAPTURE_KEEP_DAYS = int(os.environ.get("CAPTURE_KEEP_DAYS", "30"))

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "Europe/Paris")
    LANGUAGES = ("fr", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Served over HTTPS (production): Secure cookies with the __Host- prefix, which the
    # browser accepts only from HTTPS, for this exact host and path "/". Over plain HTTP
    # (make run, the tests) the browser would drop such cookies: plain names then.
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE",
                                  default=BASE_URL.startswith("https://"))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    RQ_QUEUES = ["default"]
    # A safety net for every route; the CSV import sets its own, smaller limit.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    RQ_CONNECTION_CLASS = "ct.core.jobs.QueueRedis"  # fails fast when Redis is down
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", default=True)
    # Redis down must not take logins down: count in memory until it is back.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "30/minute")
    # Requests of one REST API token (docs/API.md); beyond: 429 with Retry-After.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/minute")
    # Webhooks (docs/API.md): seconds to wait for a receiver's answer; failed attempts in
    # a row before an endpoint is disabled; whether addresses inside the network are
    # allowed (off: loopback, private and link-local addresses are refused).
    WEBHOOK_TIMEOUT = int(os.environ.get("WEBHOOK_TIMEOUT", "10"))
    WEBHOOK_DISABLE_AFTER = int(os.environ.get("WEBHOOK_DISABLE_AFTER", "20"))
    WEBHOOK_ALLOW_PRIVATE_TARGETS = _bool("WEBHOOK_ALLOW_PRIVATE_TARGETS")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5/minute")
    LOGIN_LIMIT_PER_ACCOUNT_NEW = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT_NEW", "30/hour")
    # Proxies in front of the app (a TLS terminator: 1) whose X-Forwarded-For is trusted.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # The load benchmark's reference page and X-Query-Count header (bench/); off in production.
    BENCH_ROUTES = _bool("BENCH_ROUTES")

    # Background exports: where their files are kept (one machine; docs/SCALING.md for
    # more), for how long, and from how many exchanges the list's export becomes a job.
    EXPORT_DIR = os.environ.get("EXPORT_DIR", str(INSTANCE_DIR / "exports"))
    EXPORT_MAX_AGE_DAYS = int(os.environ.get("EXPORT_MAX_AGE_DAYS", "7"))
    EXPORT_JOB_THRESHOLD = int(os.environ.get("EXPORT_JOB_THRESHOLD", "5000"))
    # Attachments (docs/EMAIL.md "Attachments"): kept in a folder per company under
    # ATTACHMENT_DIR, or in an S3-compatible bucket when ATTACHMENT_STORAGE is "s3"
    # (credentials as boto3 reads them: AWS_ACCESS_KEY_ID… or the machine's role).
    ATTACHMENT_STORAGE = os.environ.get("ATTACHMENT_STORAGE", "local")
    ATTACHMENT_DIR = os.environ.get("ATTACHMENT_DIR", str(INSTANCE_DIR / "attachments"))
    ATTACHMENT_S3_BUCKET = os.environ.get("ATTACHMENT_S3_BUCKET", "")
    ATTACHMENT_S3_PREFIX = os.environ.get("ATTACHMENT_S3_PREFIX", "attachments/")
    ATTACHMENT_S3_ENDPOINT_URL = os.environ.get("ATTACHMENT_S3_ENDPOINT_URL") or None
    ATTACHMENT_S3_REGION = os.environ.get("ATTACHMENT_S3_REGION") or None
    # One file at most, files per exchange at most, files added by one save (the
    # exchange form's own request limit follows from them).
    ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
    ATTACHMENTS_PER_EXCHANGE = int(os.environ.get("ATTACHMENTS_PER_EXCHANGE", "20"))
    ATTACHMENTS_PER_SAVE = int(os.environ.get("ATTACHMENTS_PER_SAVE", "5"))
    # Days between an admin closing the company and the deletion of its data.
    TENANT_CLOSING_GRACE_DAYS = int(os.environ.get("TENANT_CLOSING_GRACE_DAYS", "14"))

    INVITATION_MAX_AGE = int(os.environ.get("INVITATION_MAX_AGE", str(7 * 24 * 3600)))
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))
    SIGNUP_MAX_AGE = int(os.environ.get("SIGNUP_MAX_AGE", str(24 * 3600)))
    # Sign-up and password-reset emails to one address, at most, per hour.
    ACCOUNT_EMAILS_PER_HOUR = int(os.environ.get("ACCOUNT_EMAILS_PER_HOUR", "3"))

    def __init__(self) -> None:
        self.INSTANCE_DIR = str(INSTANCE_DIR)  # the SQLite file, the key, the clock's lock
        if not getattr(self, "SECRET_KEY", None):
            self.SECRET_KEY = _secret_key(self.SQLALCHEMY_DATABASE_URI)
        # Redis-backed rate limits and queue when REDIS_URL is set, in-process otherwise.
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RQ_CONNECTION = self.REDIS_URL or "redis://127.0.0.1:6379/0"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        if self.SESSION_COOKIE_SECURE:
            self.SESSION_COOKIE_NAME = "__Host-session"
            self.REMEMBER_COOKIE_NAME = "__Host-remember_token"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-of-the-suite-32-bytes-or-more"
    EMBEDDED_CLOCK = False  # the tests run the periodic jobs themselves
    SQLALCHEMY_DATABASE_URI = _database_url(
        os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/ct_test")
    )
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15") or None
    MAIL_SUPPRESS_SEND = False
    MAIL_SERVER = "127.0.0.1"
    BASE_URL = "http://ct.test"
    SESSION_COOKIE_SECURE = False  # the test client speaks plain HTTP
    PASSWORD_HASH_FAST = True  # argon2 with a small cost, the suite hashes many passwords
