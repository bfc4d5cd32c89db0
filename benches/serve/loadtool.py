#!/usr/bin/env python3
"""Helpers for benches/serve-load.sh (standard library only).

  loadtool.py ready FILE [SECONDS]          wait for a mock's JSON ready line, print it
  loadtool.py field JSON KEY                one field of a JSON document (a string)
  loadtool.py token JSON TOKENS_FILE        write the tokens-file line, print the token
  loadtool.py wait URL [SECONDS]            wait until URL answers 2xx
  loadtool.py seed API TOKEN SERVER PRODUCT COUNT PREFIX OUT
                                            create COUNT services (8 at a time), write
                                            their ids to OUT
  loadtool.py race API TOKEN SERVER PRODUCT CONTROL_URL CLIENT MODE [N]
                                            N (64) POSTs of one order at the same
                                            moment; MODE same-key: one Idempotency-Key
                                            for all, distinct-keys: a key each. Exits 1
                                            unless the answers are the documented ones
                                            and the mock and the ledger hold exactly
                                            one account and one service.
"""

import http.client
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def fail(message):
    sys.exit(f"loadtool: {message}")


def cmd_ready(path, seconds="20"):
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        try:
            with open(path, encoding="utf-8") as f:
                line = f.readline()
            if line.endswith("\n"):
                json.loads(line)
                print(line.strip())
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    fail(f"no ready line in {path}")


def cmd_field(document, key):
    value = json.loads(document)[key]
    print("" if value is None else value)


def cmd_token(path, tokens_file):
    with open(path, encoding="utf-8") as f:
        made = json.load(f)
    with open(tokens_file, "w", encoding="utf-8") as f:
        f.write(made["line"] + "\n")
    print(made["token"])


def cmd_wait(url, seconds="20"):
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    fail(f"{url} did not answer")


class Api:
    """One keep-alive connection to serve (http.client: no pooling in urllib)."""

    def __init__(self, api, token):
        parsed = urllib.parse.urlsplit(api)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        self.token = token

    def call(self, method, path, body=None, key=None):
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if key is not None:
            headers["Idempotency-Key"] = key
        self.conn.request(method, path, body=data, headers=headers)
        answer = self.conn.getresponse()
        raw = answer.read()
        try:
            document = json.loads(raw) if raw else None
        except ValueError:
            document = raw.decode(errors="replace")
        return answer.status, dict((k.lower(), v) for k, v in answer.getheaders()), document


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.load(answer)


def cmd_seed(api, token, server, product, count, prefix, out):
    count = int(count)
    local = threading.local()

    def create(n):
        if not hasattr(local, "api"):
            local.api = Api(api, token)
        # Digits only: the client id ends up in the account name.
        ident = f"{prefix}{n:06d}"
        order = {"server": server, "service_id": f"usage-{ident}", "client_id": ident,
                 "product": product}
        status, _, body = local.api.call("POST", "/v1/services", order, key=f"seed-{ident}")
        if status not in (200, 201):
            fail(f"seeding {ident}: {status} {body}")
        return order["service_id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(count)))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(ids) + "\n")
    print(f"seeded {len(ids)} services for the usage reads")


def user_creates(control_url):
    """How many account creations the Nextcloud mock has answered (its request log)."""
    return sum(
        1
        for entry in get_json(f"{control_url}/requests")
        if entry.get("method") == "POST"
        and entry.get("path", "").split("?")[0].rstrip("/").endswith("/cloud/users")
    )


def without_password(document):
    if not isinstance(document, dict):
        return document
    copy = dict(document)
    copy.pop("password", None)
    copy.pop("password_note", None)
    return copy


def problem_type(document):
    return str(document.get("type", "")) if isinstance(document, dict) else ""


def cmd_race(api, token, server, product, control_url, client, mode, n="64"):
    n = int(n)
    if mode not in ("same-key", "distinct-keys"):
        fail(f"unknown race mode {mode}")
    service_id = f"race-{mode}-{client}"
    order = {"server": server, "service_id": service_id, "client_id": client, "product": product}
    creates_before = user_creates(control_url)

    # Every connection is open before the barrier, so the requests leave together.
    clients = [Api(api, token) for _ in range(n)]
    for c in clients:
        c.conn.connect()
    barrier = threading.Barrier(n)
    answers = [None] * n

    def fire(i):
        barrier.wait()
        key = f"race-{client}" if mode == "same-key" else f"race-{client}-{i}"
        try:
            answers[i] = clients[i].call("POST", "/v1/services", order, key=key)
        except OSError as e:
            answers[i] = (None, {}, str(e))

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    problems = []
    fresh = [a for a in answers if a[0] == 201 and isinstance(a[2], dict)
             and a[2].get("password") and a[1].get("idempotent-replayed") != "true"]
    if len(fresh) != 1:
        problems.append(f"{len(fresh)} answers handed out a new password (want 1)")
    first = fresh[0][2] if fresh else None
    tally = {}
    for status, headers, body in answers:
        replayed = headers.get("idempotent-replayed") == "true"
        if status == 201 and not replayed and isinstance(body, dict) and body.get("password"):
            kind = "201 created"
        elif mode == "same-key" and status == 201 and replayed:
            kind = "201 replayed"
            if isinstance(body, dict) and body.get("password") is not None:
                problems.append("a replay carried the password")
            elif first is not None and without_password(body) != without_password(first):
                problems.append(f"a replay differs from the first answer: {body}")
        elif status == 409 and "idempotency_in_flight" in problem_type(body) and mode == "same-key":
            kind = "409 in flight"
        elif status == 200 and isinstance(body, dict) and body.get("password") is None:
            # Created before: the same account, without its password.
            kind = "200 created before"
            if first is not None and body.get("username") != first.get("username"):
                problems.append(f"a 200 names another account: {body.get('username')}")
        else:
            kind = f"{status} unexpected"
            problems.append(f"unexpected answer {status}: {body}")
        tally[kind] = tally.get(kind, 0) + 1

    # Once the first has finished, the same key must replay (same-key) and the same
    # order must find the account made before (distinct-keys).
    retry_key = f"race-{client}" if mode == "same-key" else f"race-{client}-retry"
    status, headers, body = Api(api, token).call("POST", "/v1/services", order, key=retry_key)
    if mode == "same-key":
        retry_ok = status == 201 and headers.get("idempotent-replayed") == "true"
    else:
        retry_ok = status == 200 and isinstance(body, dict) and body.get("password") is None
    if not retry_ok:
        problems.append(f"the retry after the race answered {status} {headers.get('idempotent-replayed')}: {body}")

    # The mock: exactly one account named by the product's rule for this client
    # ("nc{client_id}-..."), and exactly one account creation in its request log.
    state = get_json(f"{control_url}/state")
    accounts = sorted(u["id"] for u in state.get("users", []) if u["id"].startswith(f"nc{client}-"))
    if len(accounts) != 1:
        problems.append(f"the mock holds {len(accounts)} accounts for client {client}: {accounts}")
    creates = user_creates(control_url) - creates_before
    if creates != 1:
        problems.append(f"the mock was asked {creates} times to create an account (want 1)")

    # The ledger: the one service, recorded with that account.
    status, _, body = Api(api, token).call("GET", f"/v1/services/{server}/{service_id}")
    ledger_user = body.get("service", {}).get("username") if isinstance(body, dict) else None
    if status != 200 or [ledger_user] != accounts:
        problems.append(f"the ledger's service: {status} username {ledger_user}, mock {accounts}")

    summary = ", ".join(f"{v}x {k}" for k, v in sorted(tally.items()))
    print(f"race {mode}: {n} concurrent POSTs of one order: {summary}; retry ok: {retry_ok}; "
          f"mock accounts: {len(accounts)} {accounts}; account creations: {creates}; "
          f"ledger service: {status} {ledger_user}")
    if problems:
        for p in problems:
            print(f"  FAIL: {p}")
        sys.exit(1)


COMMANDS = {
    "ready": cmd_ready,
    "field": cmd_field,
    "token": cmd_token,
    "wait": cmd_wait,
    "seed": cmd_seed,
    "race": cmd_race,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        fail(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
