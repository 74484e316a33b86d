"""`youse up` in a real subprocess: it migrates a fresh SQLite file, builds the demo, serves the platform
and stops everything it started on SIGINT."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

# Generous limits for slow machines: they bound waiting, they assert nothing about speed.
START_LIMIT = 300
STOP_LIMIT = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_it_serves_the_demo_and_stops_everything_on_sigint(tmp_path):
    port, gateway, metrics = _free_port(), _free_port(), _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'up.sqlite3'}",
        "YOUSE_VAR_DIR": str(tmp_path),
        "YOUSE_DEBUG": "1",
    }
    log_path = tmp_path / "up.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "youse.cli", "up", "--port", str(port)),
                *("--gateway", f"127.0.0.1:{gateway}", "--metrics", f"127.0.0.1:{metrics}"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_LIMIT
        while _get(f"{base}/healthz") != 200:
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        assert _get(f"{base}/") == 200
        assert _get(f"{base}/static/youse/youse.css") == 200  # served without collectstatic
        output = log_path.read_text()
        children = [int(pid) for pid in re.findall(r"started \w+ \(pid (\d+)\)", output)]
        assert children, output
        # The HJ 212 gateway and the simulator playing the demo's data loggers run too.
        assert "started gateway" in output and "started simulator" in output, output
        # `youse up` prints its banner once it has seen the web server answer; Ctrl-C before that
        # skips the banner, so wait for it as a person at the terminal would.
        while _get(f"http://127.0.0.1:{metrics}/metrics") != 200 or "Youse is running" not in log_path.read_text():
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        assert all(_alive(pid) for pid in children)

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=STOP_LIMIT) == 0, log_path.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    output = log_path.read_text()
    assert "Youse stopped." in output
    assert "ent-a" in output and "youse-demo" in output  # the demo sign-ins were printed
    assert not any(_alive(pid) for pid in children)
    assert _get(f"{base}/healthz") is None  # nothing listens any more
    assert _get(f"http://127.0.0.1:{metrics}/metrics") is None
