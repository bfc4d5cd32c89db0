"""nc_py_api (the sync `Nextcloud` client) against `provision mock nextcloud`.

Users: create, get, list, quota (edit), disable/enable, delete; groups: create, add a
user, list, members. Then the control API: usage set there is what the client reads,
and an injected fault reaches the client.
"""

import pytest
from nc_py_api import Nextcloud, NextcloudException

from conftest import control

ADMIN = ("root", "root-Admin-Passw0rd")


@pytest.fixture
def cloud(start_mock):
    ready = start_mock("nextcloud", "--admin", f"{ADMIN[0]}:{ADMIN[1]}")
    assert ready["user"] == ADMIN[0] and ready["password"] == ADMIN[1]
    client = Nextcloud(nextcloud_url=ready["url"], nc_auth_user=ready["user"], nc_auth_pass=ready["password"])
    return ready, client


def test_users_and_groups_through_nc_py_api(cloud):
    ready, nc = cloud
    nc.users_groups.create("plan-10g", display_name="Plan 10 GB")
    assert "plan-10g" in nc.users_groups.get_list()

    nc.users.create("alice", display_name="Alice", password="alice-Passw0rd!", email="Alice@Example.com")
    assert "alice" in nc.users.get_list()
    assert nc.users.get_list(mask="ali") == ["alice"]
    alice = nc.users.get_user("alice")
    assert alice.user_id == "alice"
    assert alice.display_name == "Alice"
    assert alice.email == "alice@example.com"
    assert alice.enabled

    nc.users.edit("alice", quota="1 GB")
    assert nc.users.get_user("alice").quota["quota"] == 1 << 30

    nc.users.add_to_group("alice", "plan-10g")
    assert nc.users.get_user("alice").groups == ["plan-10g"]
    assert nc.users_groups.get_members("plan-10g") == ["alice"]

    nc.users.disable("alice")
    assert not nc.users.get_user("alice").enabled
    nc.users.enable("alice")
    assert nc.users.get_user("alice").enabled

    nc.users.delete("alice")
    assert "alice" not in nc.users.get_list()
    with pytest.raises(NextcloudException) as missing:
        nc.users.get_user("alice")
    assert missing.value.status_code == 404


def test_the_server_refusals_reach_the_client(cloud):
    _, nc = cloud
    nc.users.create("bob", password="bob-Passw0rd!!")
    with pytest.raises(NextcloudException) as taken:
        nc.users.create("Bob", password="bob-Passw0rd!!")
    # OCS v1: "User already exists" is status code 102 (facts sheet §4.1).
    assert taken.value.status_code == 102
    with pytest.raises(NextcloudException) as weak:
        nc.users.create("carol", password="password")
    assert weak.value.status_code == 107


def test_usage_and_faults_from_the_control_api(cloud):
    ready, nc = cloud
    nc.users.create("dave", password="dave-Passw0rd!!", quota="2 GB")
    control(ready, "PUT", "/users/dave/usage", {"bytes": 1 << 29})
    quota = nc.users.get_user("dave").quota
    assert quota["used"] == 1 << 29
    assert quota["relative"] == 25

    control(ready, "POST", "/faults", {"kind": "server_error", "status": 503, "path": "/cloud/users/dave"})
    with pytest.raises(NextcloudException) as fault:
        nc.users.get_user("dave")
    assert fault.value.status_code == 503
    assert nc.users.get_user("dave").user_id == "dave"

    log = control(ready, "GET", "/requests")
    assert {"method": "GET", "path": "/ocs/v1.php/cloud/users/dave", "status": 503} in log
    state = control(ready, "GET", "/state")
    assert any(u["id"] == "dave" and u["used_bytes"] == 1 << 29 for u in state["users"])
