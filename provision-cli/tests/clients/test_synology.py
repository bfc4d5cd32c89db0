"""synology-api (N4S4/synology-api) against `provision mock synology --tls`.

The client logs in over HTTPS with `cert_verify=True`; requests then trusts the mock's
CA through REQUESTS_CA_BUNDLE (the library passes `verify=True`, and requests takes the
bundle from the environment in that case). DSM 7 login runs the Noise IK handshake
(synology-api fetches `_SSID` from SYNO.API.Auth.UIConfig and sends `ik_message`), and
every later request carries `X-SYNO-HASH`, which the mock checks.

`user_create` is called with `expire="normal"`: the library's default, "never", is no
`expired` value the facts sheet knows (/work/shared/reference/synology-dsm.md §7 names
that default as a trap; §8: DSM holds "normal", "now" or a date, and any value other
than "normal" reads as suspended), so the mock stores it as given and the account
could not log in.
"""

import pytest
from synology_api.base_api import BaseApi
from synology_api.core_group import Group
from synology_api.core_user import User

from conftest import control

ADMIN = ("ops", "Ops-Admin-Passw0rd1")
GIB = 1 << 30


@pytest.fixture
def dsm(start_mock, monkeypatch, tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(
        '{"groups": [{"name": "plan-10g", "description": "Plan 10 GB",'
        ' "homes_quota_bytes": 10737418240, "members": []}]}'
    )
    ready = start_mock("synology", "--tls", "--admin", f"{ADMIN[0]}:{ADMIN[1]}", "--seed", str(seed))
    assert ready["url"].startswith("https://")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ready["ca_path"])
    host, port = ready["url"].removeprefix("https://").rsplit(":", 1)
    # One shared session per process in synology-api: start each test from none.
    BaseApi.shared_session = None
    users = User(host, port, ready["user"], ready["password"], secure=True, cert_verify=True, dsm_version=7, debug=False)
    groups = Group(host, port, ready["user"], ready["password"], secure=True, cert_verify=True, dsm_version=7, debug=False)
    yield ready, users, groups
    users.logout()
    BaseApi.shared_session = None


def names(rows):
    return [row["name"] for row in rows]


def test_login_runs_the_noise_handshake(dsm):
    ready, users, _ = dsm
    assert users.session._noise_handshake_hash, "the mock answered the IK handshake"
    log = control(ready, "GET", "/requests")
    login = [r for r in log if r["api"] == "SYNO.API.Auth" and r["api_method"] == "login"]
    assert login and login[-1]["status"] == 200


def test_users_through_synology_api(dsm):
    _, users, _ = dsm
    created = users.user_create("c42-s7", "Cust-Passw0rd1", description="client 42", email="alice@example.com", expire="normal")
    assert created["success"], created
    listed = users.user_list(additional=["email", "expired"])
    assert "c42-s7" in names(listed["data"]["users"])
    got = users.user_get("c42-s7", additional=["email", "description"])
    row = got["data"]["users"][0]
    assert (row["name"], row["email"], row["description"]) == ("c42-s7", "alice@example.com", "client 42")
    assert row["uid"] >= 1024


def test_groups_members_and_quotas_through_synology_api(dsm):
    ready, users, groups = dsm
    assert users.user_create("c43-s8", "Cust-Passw0rd2", expire="normal")["success"]
    listed = groups.get_groups()
    assert {"administrators", "users", "plan-10g"} <= set(names(listed["data"]["groups"]))
    assert groups.add_users("plan-10g", ["c43-s8"])["success"]
    members = groups.get_users("plan-10g")
    assert names(members["data"]["users"]) == ["c43-s8"]

    quota = groups.get_quota("plan-10g")
    homes = [s for v in quota["data"]["group_quota"] for s in v["shares"] if s["name"] == "homes"]
    assert homes[0]["quota"] == 10 * 1024  # MiB, as DSM reports it

    control(ready, "PUT", "/users/c43-s8/usage", {"bytes": 3 * 1048576})
    state = control(ready, "GET", "/state")
    assert any(u["name"] == "c43-s8" and u["used_bytes"] == 3 * 1048576 for u in state["users"])


def test_an_injected_fault_reaches_the_client(dsm):
    ready, users, _ = dsm
    control(ready, "POST", "/faults", {"kind": "api_error", "code": 117, "only": "SYNO.Core.User.list"})
    with pytest.raises(Exception) as busy:
        users.user_list()
    assert "117" in str(busy.value) or getattr(busy.value, "error_code", None) == 117
    assert users.user_list()["success"]
