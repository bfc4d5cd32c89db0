"""synology-api against `provision mock synology`: the usage sweep and the creates of
`benches/clients.rs` (see protocol.py). Over HTTPS, trusting the mock's CA, and ours
too: with secure=False synology-api encrypts the login with SYNO.API.Encryption (RSA),
which the mock does not serve.

synology-api has no method that reads a user's quota or usage: `User` lists, gets,
creates and edits users; `Group.get_quota` reads a group's quota (subject_type=group);
`Storage.quota_get` a volume's. So there are two sweeps:

sweep: one `User.user_list`, then per customer account the call DSM reads a user's
usage with (`SYNO.Core.Quota get`, name=<user>), sent through synology-api's own
`request_data` (its session, its X-SYNO-HASH): the library's transport, the call it
lacks. Its used bytes are checked against ours.
sweep-user-get: one `User.user_list`, then `User.user_get(name)` per customer
account: the closest per-user read synology-api has a method for. It carries no
usage, so it reads no bytes.

create: per order `User.user_create` (expire="normal": the library's default
"never" is no value DSM knows; description = display name, as ours), then
`Group.add_users(plan group, [name])`.
"""

import os

from synology_api.base_api import BaseApi
from synology_api.core_group import Group
from synology_api.core_user import User

from protocol import answer, load_job, password, wait_for_go

MIB = 1 << 20

job = load_job()
ready = job["ready"]
host, port = ready["url"].removeprefix("https://").rsplit(":", 1)
# requests takes the CA to trust from here when the library passes verify=True.
os.environ["REQUESTS_CA_BUNDLE"] = ready["ca_path"]
BaseApi.shared_session = None
users = User(host, port, ready["user"], ready["password"], secure=True, cert_verify=True, dsm_version=7, debug=False)
groups = Group(host, port, ready["user"], ready["password"], secure=True, cert_verify=True, dsm_version=7, debug=False)
wait_for_go()


def customer_names():
    listed = users.user_list()
    return [u["name"] for u in listed["data"]["users"] if u["name"].startswith(job["prefix"])]


def home_used_bytes(name):
    """The user's used bytes on the `homes` share of every volume (DSM says MiB)."""
    api = "SYNO.Core.Quota"
    params = {"version": 1, "method": "get", "name": name, "support_share_quota": "true"}
    data = users.request_data(api, users.core_list[api]["path"], params)
    if not data.get("success"):
        raise SystemExit(f"{api} get {name}: {data}")
    used = 0
    for volume in data["data"]["user_quota"]:
        for share in volume["shares"]:
            if share["name"] == "homes":
                used += round(float(share["used"]) * MIB)
    return used


if job["job"] == "sweep":
    read, used = 0, 0
    for name in customer_names():
        used += home_used_bytes(name)
        read += 1
    answer({"accounts": read, "used_bytes": used})
elif job["job"] == "sweep-user-get":
    read = 0
    for name in customer_names():
        got = users.user_get(name)
        if not got.get("success"):
            raise SystemExit(f"user_get {name}: {got}")
        read += 1
    answer({"accounts": read, "used_bytes": None})
elif job["job"] == "create":
    created = 0
    for order in job["orders"]:
        made = users.user_create(
            order["name"],
            password(),
            description=order["display_name"],
            email=order["email"],
            expire="normal",
        )
        if not made.get("success"):
            raise SystemExit(f"user_create {order['name']}: {made}")
        joined = groups.add_users(job["group"], [order["name"]])
        if not joined.get("success"):
            raise SystemExit(f"add_users {order['name']}: {joined}")
        created += 1
    answer({"created": created})
else:
    raise SystemExit(f"unknown job {job['job']!r}")
