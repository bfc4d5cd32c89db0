"""Fixtures for testing independent clients against `provision mock <backend>`.

`start_mock(backend, *args)` runs the built `provision` binary (PROVISION_BIN, else
target/debug/provision from the workspace), waits for its ready line and returns it as
a dict (url, user, password, ca_path, control_url, state_path, pid, ...). Every mock a
test started gets SIGTERM at the end and must exit with 0.

`control(ready, method, path, body=None)` calls the mock's control API and returns the
decoded JSON answer.
"""

import json
import os
import pathlib
import signal
import subprocess
import urllib.request

import pytest

WORKSPACE = pathlib.Path(__file__).resolve().parents[3]
BINARY = os.environ.get("PROVISION_BIN", str(WORKSPACE / "target" / "debug" / "provision"))


@pytest.fixture
def start_mock():
    processes = []

    def start(backend, *args):
        process = subprocess.Popen(
            [BINARY, "mock", backend, *args],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"provision mock {backend} exited with {process.wait()} before it was ready")
        processes.append(process)
        return json.loads(line)

    yield start
    for process in processes:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0, "the mock did not stop cleanly on SIGTERM"


def control(ready, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        ready["control_url"] + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read()
    return json.loads(text) if text else None
