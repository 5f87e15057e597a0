"""Run the app under gunicorn for a benchmark, and read its workers' memory from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.context import SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_environment(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "BENCH_ROUTES": "1",
        # Rate limits on, as in production: each REST API request counts against its
        # token's limit in Redis, a round trip the measurement must include. The API's
        # limit (120/minute by default) is raised far above what a run sends (a member
        # sends thousands of requests a minute), so no request is refused or slowed.
        # The login limits count failed logins only: the runs' logins never reach them.
        "RATELIMIT_ENABLED": "1",
        "API_RATE_LIMIT": "10000000/minute",
        "SECRET_KEY": SECRET_KEY,
        "MAIL_SUPPRESS_SEND": "1",
        # The CSV export scenario measures the streamed download of ~100,000 exchanges;
        # in the app, a list that large goes to a background job (same rows, same code).
        "EXPORT_JOB_THRESHOLD": "10000000",
    })
    return env


class Gunicorn:
    """``gunicorn app:app`` (or another WSGI ``app``, the bare stack's) with gthread
    workers on a loopback port."""

    def __init__(self, database_url: str, redis_url: str, log_path: Path, port: int = 0,
                 app: str = "app:app"):
        self.port = port or free_port()
        self.log_path = log_path
        self.app = app
        self._env = app_environment(database_url, redis_url)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "--workers", str(WORKERS), "--threads", str(THREADS),
                   "--worker-class", "gthread", "--bind", f"127.0.0.1:{self.port}",
                   "--timeout", "120", "--keep-alive", "30", self.app]
        self._log = open(self.log_path, "w")  # noqa: SIM115 — closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env=self._env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            if len(self.worker_pids()) == WORKERS and _answers(self.port):
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start in {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
        self.process = None

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        return children_of(self.process.pid)

    def rss_mb(self) -> dict[int, float]:
        """Resident memory of each worker, in MB."""
        return {pid: value for pid in self.worker_pids()
                if (value := status_mb(pid, "VmRSS")) is not None}

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def status_mb(pid: int, key: str) -> float | None:
    """A memory line of /proc/<pid>/status (VmRSS, VmHWM) in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
