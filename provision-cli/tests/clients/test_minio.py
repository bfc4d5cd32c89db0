"""minio-py (pinned in requirements.txt) against `provision mock minio`.

`Minio` drives S3 (buckets, objects), `MinioAdmin` the madmin API with its encrypted
bodies (add-user and attach are encrypted by the client with the root secret; the
mock decrypts them and encrypts list-users and attach answers with id 0, Argon2id,
which minio-py decrypts as it does a real server's).
"""

import io
import json
import subprocess
import urllib.parse

import pytest
import urllib3
from minio import Minio, MinioAdmin
from minio.credentials import StaticProvider
from minio.error import MinioAdminException, S3Error

from conftest import BINARY, control

ROOT = "provision-root"
ROOT_SECRET = "root-secret-for-tests"

TENANT_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::cust1", "arn:aws:s3:::cust1/*"],
        }
    ],
}


def endpoint(ready):
    return urllib.parse.urlsplit(ready["url"]).netloc


def clients(ready, http_client=None, access_key=None, secret_key=None):
    secure = ready["url"].startswith("https://")
    access_key = access_key or ready["user"]
    secret_key = secret_key or ready["password"]
    s3 = Minio(
        endpoint(ready),
        access_key=access_key,
        secret_key=secret_key,
        secure=secure,
        # The ready line's region: without it minio-py asks GetBucketLocation first,
        # which a tenant policy need not allow (nor does MinIO then).
        region=ready["region"],
        http_client=http_client,
    )
    admin = MinioAdmin(
        endpoint=endpoint(ready),
        credentials=StaticProvider(access_key, secret_key),
        secure=secure,
        http_client=http_client,
    )
    return s3, admin


@pytest.fixture
def minio(start_mock):
    ready = start_mock("minio", "--admin", f"{ROOT}:{ROOT_SECRET}")
    assert ready["user"] == ROOT
    assert ready["region"] == "us-east-1"
    return ready


def usage_of(admin):
    return json.loads(admin.get_data_usage_info())


def test_users_and_policies_through_minioadmin(minio):
    _, admin = clients(minio)
    admin.user_add("cust1", "cust1-secret-key")
    admin.user_add("cust2", "cust2-secret-key")
    admin.policy_add("cust1-policy", policy=TENANT_POLICY)

    # The newer attach API: an encrypted request and an encrypted answer.
    attached = json.loads(admin.attach_policy(["cust1-policy"], user="cust1"))
    assert attached["policiesAttached"] == ["cust1-policy"]
    # The older set-user-or-group-policy, which replaces the mapping.
    admin.policy_set("readonly", user="cust2")

    users = json.loads(admin.user_list())
    assert set(users) == {"cust1", "cust2"}
    assert users["cust1"]["status"] == "enabled"

    info = json.loads(admin.user_info("cust1"))
    assert info["status"] == "enabled"
    assert info["policyName"] == "cust1-policy"
    assert json.loads(admin.user_info("cust2"))["policyName"] == "readonly"

    # MinIO refuses an attach with no net effect (minio-admin.md §4, "Attach vs
    # legacy set": XMinioAdminPolicyChangeAlreadyApplied); minio-py raises it.
    with pytest.raises(MinioAdminException) as again:
        admin.attach_policy(["cust1-policy"], user="cust1")
    assert "XMinioAdminPolicyChangeAlreadyApplied" in again.value._body

    detached = json.loads(admin.detach_policy(["cust1-policy"], user="cust1"))
    assert detached["policiesDetached"] == ["cust1-policy"]
    assert "policyName" not in json.loads(admin.user_info("cust1"))

    admin.user_disable("cust2")
    assert json.loads(admin.user_info("cust2"))["status"] == "disabled"

    # A secret MinIO would refuse (under 8 bytes) is refused the same way.
    with pytest.raises(MinioAdminException) as short:
        admin.user_add("cust3", "short")
    assert "XMinioAdminInvalidSecretKey" in short.value._body


def test_buckets_objects_and_data_usage(minio):
    s3, admin = clients(minio)
    s3.make_bucket("cust1")
    s3.make_bucket("other")
    assert [b.name for b in s3.list_buckets()] == ["cust1", "other"]

    s3.put_object("cust1", "docs/a.txt", io.BytesIO(b"a" * 1000), 1000)
    s3.put_object("cust1", "docs/b.txt", io.BytesIO(b"b" * 24), 24)
    listed = {o.object_name: o.size for o in s3.list_objects("cust1", prefix="docs/", recursive=True)}
    assert listed == {"docs/a.txt": 1000, "docs/b.txt": 24}
    stat = s3.stat_object("cust1", "docs/a.txt")
    assert stat.size == 1000
    assert stat.last_modified is not None
    assert s3.get_object("cust1", "docs/b.txt").read() == b"\0" * 24  # the mock keeps sizes

    s3.remove_object("cust1", "docs/b.txt")
    assert [o.object_name for o in s3.list_objects("cust1", recursive=True)] == ["docs/a.txt"]
    with pytest.raises(S3Error) as missing:
        s3.stat_object("cust1", "docs/b.txt")
    assert missing.value.code == "NoSuchKey"

    # Before its first scan MinIO answers zeros and null maps (minio-admin.md §4,
    # datausageinfo); the figures change only when the scanner runs.
    before = usage_of(admin)
    assert before["bucketsUsageInfo"] is None
    assert before["objectsTotalSize"] == 0

    control(minio, "POST", "/scanner")
    scanned = usage_of(admin)
    assert scanned["bucketsUsageInfo"]["cust1"]["size"] == 1000
    assert scanned["bucketsUsageInfo"]["cust1"]["objectsCount"] == 1
    assert scanned["bucketsCount"] == 2

    control(minio, "PUT", "/usage/other", {"bytes": 5 * 1024**3})
    assert usage_of(admin)["bucketsUsageInfo"]["other"]["size"] == 5 * 1024**3


def test_a_tenant_reaches_its_own_bucket_only(minio):
    s3, admin = clients(minio)
    s3.make_bucket("cust1")
    s3.make_bucket("other")
    admin.user_add("cust1", "cust1-secret-key")
    admin.policy_add("cust1-policy", policy=TENANT_POLICY)
    admin.attach_policy(["cust1-policy"], user="cust1")

    tenant, _ = clients(minio, access_key="cust1", secret_key="cust1-secret-key")
    tenant.put_object("cust1", "mine.bin", io.BytesIO(b"x" * 10), 10)
    assert tenant.stat_object("cust1", "mine.bin").size == 10
    with pytest.raises(S3Error) as refused:
        tenant.put_object("other", "theirs.bin", io.BytesIO(b"x"), 1)
    assert refused.value.code == "AccessDenied"

    admin.user_disable("cust1")
    with pytest.raises(S3Error) as disabled:
        tenant.stat_object("cust1", "mine.bin")
    assert disabled.value.code in ("InvalidAccessKeyId", "AccessDenied")


def test_an_injected_fault_is_retried_by_minio_py_and_logged(minio):
    _, admin = clients(minio)
    control(minio, "POST", "/faults", {"kind": {"server_error": 503}, "path_contains": "datausageinfo"})
    # MinioAdmin's urllib3 pool retries 500-504, so the call succeeds on the second try.
    usage_of(admin)
    log = [r for r in control(minio, "GET", "/requests") if r["path"].endswith("/datausageinfo")]
    assert [r["status"] for r in log] == [503, 200]
    assert all(r["access_key"] == ROOT for r in log)

    control(minio, "POST", "/faults", {"kind": {"server_error": 500}, "times": 50})
    control(minio, "DELETE", "/faults")
    usage_of(admin)


def test_a_seed_gives_users_buckets_and_usage(start_mock, tmp_path):
    seed = {
        "policies": [{"name": "cust1-policy", "document": TENANT_POLICY}],
        "users": [{"access_key": "cust1", "secret_key": "cust1-secret-key", "policies": ["cust1-policy"]}],
        "buckets": [{"name": "cust1"}],
        "objects": [{"bucket": "cust1", "key": "old.bin", "size": 300}],
        "usage": {"buckets": {"cust1": {"size": 300, "objects": 1, "versions": 1}}},
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    ready = start_mock("minio", "--seed", str(path))
    _, admin = clients(ready)
    assert json.loads(admin.user_info("cust1"))["policyName"] == "cust1-policy"
    assert usage_of(admin)["bucketsUsageInfo"]["cust1"]["size"] == 300
    tenant, _ = clients(ready, access_key="cust1", secret_key="cust1-secret-key")
    assert [o.object_name for o in tenant.list_objects("cust1")] == ["old.bin"]
    state = control(ready, "GET", "/state")
    assert [u["access_key"] for u in state["users"]] == ["cust1"]


def test_bad_root_credentials_and_unknown_seed_fields_stop_the_mock(tmp_path):
    short = subprocess.run([BINARY, "mock", "minio", "--admin", "ab:long-enough"],
                           capture_output=True, text=True, timeout=60)
    assert short.returncode != 0
    assert "admin" in short.stderr and "3 bytes" in short.stderr
    assert short.stdout == ""

    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"users": [], "colour": "red"}))
    unknown = subprocess.run([BINARY, "mock", "minio", "--seed", str(path)],
                             capture_output=True, text=True, timeout=60)
    assert unknown.returncode != 0
    assert "colour" in unknown.stderr


def test_tls_with_the_printed_ca(start_mock):
    ready = start_mock("minio", "--tls", "--admin", f"{ROOT}:{ROOT_SECRET}")
    assert ready["url"].startswith("https://")
    http = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=ready["ca_path"])
    s3, admin = clients(ready, http_client=http)
    s3.make_bucket("secure")
    s3.put_object("secure", "k", io.BytesIO(b"12345"), 5)
    assert s3.stat_object("secure", "k").size == 5
    admin.user_add("tlsuser", "tls-user-secret")
    assert "tlsuser" in json.loads(admin.user_list())

    # Without the CA the certificate is not trusted.
    untrusting = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", retries=False)
    plain, _ = clients(ready, http_client=untrusting)
    with pytest.raises(urllib3.exceptions.SSLError):
        plain.list_buckets()
