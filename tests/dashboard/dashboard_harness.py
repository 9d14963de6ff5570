"""Helpers for the dashboard tests: serve the dashboard, find the system Chromium."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60.0


def chromium_path() -> str | None:
    """The system (Debian) Chromium, never a browser downloaded by playwright."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@contextmanager
def served_dashboard(args: Sequence[str], log: Path) -> Iterator[str]:
    """Run ``community-sim dashboard ARGS --port 0``; yield its URL once it answers HTTP."""
    cmd = [sys.executable, "-m", "community_sim.cli", "dashboard", *args, "--port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
        try:
            lines: queue.Queue[str] = queue.Queue()
            assert proc.stdout is not None
            threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
            try:
                line = lines.get(timeout=STARTUP_TIMEOUT_S)
            except queue.Empty:
                line = ""
            if "http://" not in line:
                raise RuntimeError(f"dashboard did not start: {line!r}\n{log.read_text()}")
            url = line.split()[line.split().index("at") + 1]
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=5) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"dashboard not answering\n{log.read_text()}") from None
                    time.sleep(0.2)
            yield url
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
