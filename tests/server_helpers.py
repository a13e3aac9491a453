"""Helpers for tests that start `python -m handbook serve`: start it, wait for it, and always stop it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen, seconds: float = 20) -> None:
    """terminate(), then kill() when it has not ended within `seconds`: it never outlives the test."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=seconds)


def serve_env(**extra: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_LANG": "sv", **extra}


@contextmanager
def running_server(project: Path, log: Path, *args: str, port: int | None = None, command: list[str] | None = None,
                   env: dict | None = None):
    """`python -m handbook serve` on `project` at 127.0.0.1:<port>, its output in `log`; yields
    (process, base URL) and stops it afterwards, whatever happened in between."""
    port = port or free_port()
    command = command or [sys.executable, "-m", "handbook", "--root", str(project), "serve", "--port", str(port), *args]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=project, env=env or serve_env(), stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    """(status, body) of one request; an HTTP error status is an answer too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(url: str, needle: str, seconds: float = 60, process: subprocess.Popen | None = None,
             status: int | None = None) -> str:
    """The body at `url` once it contains `needle` (and has the status, if given), polled; fails
    after `seconds`, or at once when `process` has ended."""
    deadline, body, code = time.monotonic() + seconds, "", None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server ended with {process.returncode} while waiting for {needle!r} at {url}")
        try:
            code, body = get(url, timeout=5)
            if needle in body and (status is None or code == status):
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} did not appear at {url} within {seconds}s (last answer {code}: {body[:300]!r})")


def port_is_free(port: int) -> bool:
    """Nothing answers on the port, and it can be bound again."""
    with socket.socket() as probe:
        probe.settimeout(2)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            again.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
