"""Jobs for the worker tests: they leave files behind, so a test sees what ran."""

from __future__ import annotations

import time
from pathlib import Path


def mark_after(directory: str, seconds: float) -> str:
    """Say it started, work for ``seconds``, say it finished."""
    Path(directory, "started").touch()
    time.sleep(seconds)
    Path(directory, "finished").touch()
    return "finished"
