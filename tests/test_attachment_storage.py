"""The S3-compatible storage, against a local S3 server (moto's, over HTTP on
127.0.0.1): the pop-up's files land in the bucket under the company's prefix, are served
back from it, leave it with the trash's purge, and a closed company's files all go while
another's stay."""
# ruff: noqa: F811

from __future__ import annotations

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer
from sqlalchemy import select

from ct.attachments.storage import LocalStorage, S3Storage, storage
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import TrashItem
from tests.attachment_support import PDF, png
from tests.downloads import fetch
from tests.exchange_records import records  # noqa: F401
from tests.test_attachments import attachments_of, download_url, post_new

BUCKET = "ct-attachments"


@pytest.fixture
def bucket(app, monkeypatch):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    requests.post(f"{endpoint}/moto-api/reset", timeout=10)  # its buckets live per process
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_DEFAULT_REGION": "eu-west-3"}.items():
        monkeypatch.setenv(name, value)
    for name, value in {"ATTACHMENT_STORAGE": "s3", "ATTACHMENT_S3_BUCKET": BUCKET,
                        "ATTACHMENT_S3_ENDPOINT_URL": endpoint,
                        "ATTACHMENT_S3_REGION": "eu-west-3"}.items():
        monkeypatch.setitem(app.config, name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-3")
    client.create_bucket(Bucket=BUCKET,
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    app.extensions.pop("ct.attachments", None)  # made again from the configuration
    try:
        yield client
    finally:
        app.extensions.pop("ct.attachments", None)
        server.stop()


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in
                  client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_files_live_in_the_bucket_and_leave_it_with_the_trash(app, client, auth, tenants,
                                                              records, bucket):
    auth.login(tenants.a.admin_email)
    a = records.a
    assert post_new(client, a, [("devis.pdf", PDF), ("plan.png", png())]).status_code == 303
    rows = attachments_of(app, tenants.a.id)
    assert keys(bucket) == sorted(f"attachments/{r['key']}" for r in rows)
    assert all(r["key"].startswith(f"{tenants.a.id}/") for r in rows)
    served = fetch(client, download_url(a, rows[0]))
    assert served.status_code == 200 and served.data == PDF
    with app.app_context():
        assert isinstance(storage(), S3Storage)

    exchange_id = rows[0]["exchange"]
    assert client.post(f"/t/{a.slug}/exchanges/{exchange_id}/delete").status_code == 303
    assert len(keys(bucket)) == 2  # in the trash: the bytes stay
    with app.app_context(), bound_tenant(tenants.a.id):
        item_id = db.session.scalar(select(TrashItem.id))
    assert client.post(f"/t/{a.slug}/trash/{item_id}/purge").status_code == 303
    assert keys(bucket) == []


def test_a_closed_companys_files_all_go_and_only_them(app, client, auth, tenants, records,
                                                      bucket):
    for side, tenant in ((records.a, tenants.a), (records.b, tenants.b)):
        auth.login(tenant.admin_email)
        assert post_new(client, side, [("devis.pdf", PDF)]).status_code == 303
        auth.logout()
    assert len(keys(bucket)) == 2
    with app.app_context(), bound_tenant(tenants.a.id):
        storage().delete_company(tenants.a.id)
    assert [key.split("/")[1] for key in keys(bucket)] == [str(tenants.b.id)]


def test_the_local_storage_is_the_default(app):
    with app.app_context():
        assert isinstance(storage(), LocalStorage)
