"""The protocol between `benches/clients.rs` and the client scripts beside it.

A script is started as `python SCRIPT JOB_FILE`. The job file (JSON) holds `ready`
(the mock's ready line), `job` ("sweep", or "create" with `orders`) and what the job
needs. The script imports its client and logs in, prints `ready`, waits for `go` on
standard input, does the job and prints one JSON line with what it did. The harness
times from `go` to that line, so imports and login are not in the figure.
"""

import json
import secrets
import string
import sys


def load_job():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} JOB_FILE")
    with open(sys.argv[1], encoding="utf-8") as f:
        return json.load(f)


def wait_for_go():
    print("ready", flush=True)
    line = sys.stdin.readline().strip()
    if line != "go":
        sys.exit(f"expected 'go' on standard input, got {line!r}")


def answer(result):
    print(json.dumps(result), flush=True)


def password(length=16):
    """A random password with every character class, as the product's 16-character rule
    asks; the mocks refuse weak ones as the servers do."""
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "!#%+-_=."]
    alphabet = "".join(classes)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in cls for c in candidate) for cls in classes):
            return candidate
