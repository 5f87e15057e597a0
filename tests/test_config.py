"""Production refuses unsafe defaults; the embedded default needs no configuration."""

from __future__ import annotations

import stat
import subprocess
import sys

import pytest

from ct import config
from tests.smtp import ROOT

POSTGRES = "postgresql://ct_app@127.0.0.1:5432/ct_prod"


def start(**env: str) -> subprocess.CompletedProcess:
    """Import the entry point as gunicorn does, with only these settings."""
    base = {"PATH": "/usr/bin:/bin", "FLASK_SKIP_DOTENV": "1"}
    return subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=base | env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("key, says", [
    (None, "SECRET_KEY is not set"),
    ("", "SECRET_KEY is not set"),
    ("dev-only-change-me", "SECRET_KEY is unsafe"),
    ("x" * 31, "SECRET_KEY is unsafe"),
])
def test_production_stops_without_a_real_secret_key(key, says):
    env = {"DATABASE_URL": POSTGRES}
    if key is not None:
        env["SECRET_KEY"] = key
    started = start(**env)
    assert started.returncode != 0
    assert says in started.stderr
    assert "ct cannot start" in started.stderr
    assert "Traceback" not in started.stderr


def test_production_starts_with_a_long_random_key():
    started = start(DATABASE_URL=POSTGRES, SECRET_KEY="k" * 32)
    assert started.returncode == 0, started.stderr


def test_the_embedded_default_makes_its_key_once(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path / "instance")
    first = config._secret_key("sqlite:///instance/ct.sqlite3")
    again = config._secret_key("sqlite:///instance/ct.sqlite3")
    assert first == again and len(bytes.fromhex(first)) == 32
    saved = tmp_path / "instance" / "secret_key"
    assert saved.read_text() == first
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_a_key_set_for_sqlite_is_used_as_is(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "short-is-fine-on-a-laptop")
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    assert config._secret_key("sqlite:///x.sqlite3") == "short-is-fine-on-a-laptop"
    assert not (tmp_path / "secret_key").exists()
