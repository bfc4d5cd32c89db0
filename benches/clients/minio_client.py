"""minio-py against `provision mock minio`: the usage sweep and the creates of
`benches/clients.rs` (see protocol.py). Plain HTTP, as ours.

sweep: one `MinioAdmin.user_list` and one `get_data_usage_info`; each customer's usage
is the size of its buckets (`<user>` and `<user>.<suffix>`, its namespace).
create: the steps of our MinIO create, in its order: `user_info` (absent: the name is
free), `bucket_exists`, `policy_add` (the per-user canned policy, the document ours
puts, given by the harness), `user_add`, `attach_policy`, `group_info` (absent: MinIO
makes the group on the first add), `group_add`, `make_bucket`.
"""

import json
import urllib.parse

from minio import Minio, MinioAdmin
from minio.credentials import StaticProvider
from minio.error import MinioAdminException

from protocol import answer, load_job, password, wait_for_go

job = load_job()
ready = job["ready"]
endpoint = urllib.parse.urlsplit(ready["url"]).netloc
s3 = Minio(endpoint, access_key=ready["user"], secret_key=ready["password"], secure=False, region=ready["region"])
admin = MinioAdmin(endpoint=endpoint, credentials=StaticProvider(ready["user"], ready["password"]), secure=False)
wait_for_go()


def absent(call):
    """True when the admin call answers that its subject does not exist."""
    try:
        call()
    except MinioAdminException as e:
        if "NoSuch" in e._body or str(e._code) == "404":
            return True
        raise
    return False


if job["job"] == "sweep":
    prefix = job["prefix"]
    names = [name for name in json.loads(admin.user_list()) if name.startswith(prefix)]
    buckets = json.loads(admin.get_data_usage_info()).get("bucketsUsageInfo") or {}
    used = 0
    for name in names:
        used += sum(int(b["size"]) for bucket, b in buckets.items() if bucket == name or bucket.startswith(name + "."))
    answer({"accounts": len(names), "used_bytes": used})
elif job["job"] == "create":
    template = job["policy_document"]
    placeholder = job["placeholder"]
    created = 0
    for order in job["orders"]:
        name = order["name"]
        if not absent(lambda: admin.user_info(name)):
            raise SystemExit(f"{name} exists")
        if s3.bucket_exists(name):
            raise SystemExit(f"bucket {name} exists")
        policy = job["policy_prefix"] + name
        admin.policy_add(policy, policy=json.loads(template.replace(placeholder, name)))
        admin.user_add(name, password())
        admin.attach_policy([policy], user=name)
        absent(lambda: admin.group_info(job["group"]))
        admin.group_add(job["group"], [name])
        s3.make_bucket(name)
        created += 1
    answer({"created": created})
else:
    raise SystemExit(f"unknown job {job['job']!r}")

# Dropped here, while the modules they need are still loaded (not at interpreter exit).
del s3, admin
