"""`bin/serve` runs the web server and one worker together, and Ctrl+C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[str]:
    """Command lines of the processes in the group that bin/serve leads."""
    out = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(pid)], capture_output=True, text=True, check=False)
    return [line for line in out.stdout.splitlines() if "manage.py" in line]


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="bin/serve is the embedded SQLite default")
def test_bin_serve_runs_the_web_server_and_a_worker_and_ctrl_c_stops_both(tmp_path):
    port = _free_port()
    env = {**os.environ, "DJANGO_VAR_DIR": str(tmp_path), "PORT": str(port), "SKIP_DEMO": "1"}
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 -- closed below
    serve = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:  # noqa: S310
                    assert response.status == 200
                    break
            except OSError:
                assert serve.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.5)
        running = _children(serve.pid)
        assert any("runserver" in line for line in running), running
        assert any("manage.py worker" in line for line in running), running
        os.killpg(serve.pid, signal.SIGINT)  # what Ctrl+C does: the whole foreground group gets SIGINT
        serve.wait(timeout=60)
        time.sleep(0.5)
        assert _children(serve.pid) == []
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()
