"""Where the bytes of attachments live, behind one small interface.

``LocalStorage`` keeps them in a folder per company under ATTACHMENT_DIR (the default,
the instance folder); ``S3Storage`` in an S3-compatible bucket (AWS, MinIO, Scaleway,
OVH…) through boto3, chosen with ATTACHMENT_STORAGE=s3. A key reads
``<company id>/<random name>``: a company's files share a prefix, which is how they are
all deleted with the company.

Both read and write in chunks: a 20 MB file is never held whole in memory. ``open``
returns a readable binary stream, which the caller closes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

CHUNK = 256 * 1024


class MissingFile(LookupError):
    """The storage has no bytes under this key."""


class Storage(Protocol):
    def put(self, key: str, source: BinaryIO) -> None: ...
    def open(self, key: str) -> BinaryIO: ...
    def delete(self, key: str) -> None: ...
    def delete_company(self, tenant_id: int) -> None: ...


class LocalStorage:
    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        tenant, name = key.split("/")  # keys are made by ct, never from a user's file name
        return self.root / tenant / name

    def put(self, key: str, source: BinaryIO) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")  # never a half-written file under the key
        with partial.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        partial.replace(path)

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise MissingFile(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def delete_company(self, tenant_id: int) -> None:
        shutil.rmtree(self.root / str(int(tenant_id)), ignore_errors=True)


class S3Storage:
    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 region: str | None = None) -> None:
        import boto3  # only loaded where the bucket is used

        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def put(self, key: str, source: BinaryIO) -> None:
        self.client.upload_fileobj(source, self.bucket, self.prefix + key)

    def open(self, key: str) -> BinaryIO:
        try:  # the body is read as it is sent on, never whole
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]
        except self.client.exceptions.NoSuchKey:
            raise MissingFile(key) from None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def delete_company(self, tenant_id: int) -> None:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}{int(tenant_id)}/")
        for page in pages:
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:  # at most 1000 a page, as DeleteObjects takes
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})


def storage() -> Storage:
    """The application's storage, made once from its configuration."""
    extensions = current_app.extensions
    if "ct.attachments" not in extensions:
        config = current_app.config
        if config["ATTACHMENT_STORAGE"] == "s3":
            extensions["ct.attachments"] = S3Storage(
                config["ATTACHMENT_S3_BUCKET"], config["ATTACHMENT_S3_PREFIX"],
                config["ATTACHMENT_S3_ENDPOINT_URL"], config["ATTACHMENT_S3_REGION"])
        else:
            extensions["ct.attachments"] = LocalStorage(config["ATTACHMENT_DIR"])
    return extensions["ct.attachments"]
