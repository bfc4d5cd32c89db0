"""nc_py_api against `provision mock nextcloud`: the usage sweep and the creates of
`benches/clients.rs` (see protocol.py).

sweep: one user list, then `users.get_user(uid).quota` per customer account.
create: per order one `users.create` with password, e-mail, display name, quota and
the plan group: nc_py_api sends them all in the one POST the API has for it.
"""

import warnings

from nc_py_api import Nextcloud

from protocol import answer, load_job, password, wait_for_go

# The sync class, as provision-cli/tests/clients drives it; its deprecation notice is noise.
warnings.filterwarnings("ignore", category=DeprecationWarning)
job = load_job()
ready = job["ready"]
nc = Nextcloud(nextcloud_url=ready["url"], nc_auth_user=ready["user"], nc_auth_pass=ready["password"])
# Log in before the clock starts: the first call fetches the capabilities.
nc.users.get_user(ready["user"])
wait_for_go()

if job["job"] == "sweep":
    prefix = job["prefix"]
    read, used = 0, 0
    for uid in nc.users.get_list():
        if not uid.startswith(prefix):
            continue
        used += int(nc.users.get_user(uid).quota["used"])
        read += 1
    answer({"accounts": read, "used_bytes": used})
elif job["job"] == "create":
    created = 0
    for order in job["orders"]:
        nc.users.create(
            order["name"],
            display_name=order["display_name"],
            password=password(),
            email=order["email"],
            quota=job["quota"],
            groups=[job["group"]],
        )
        created += 1
    answer({"created": created})
else:
    raise SystemExit(f"unknown job {job['job']!r}")
