"""Idempotency-Key on POST: a retried create gets the first answer, not a second record.

The answer is stored per token and key in the same transaction as the record it made, so
both exist or neither. The same key with another request (method, path or body) is a
422: the client reused a key by mistake. Two retries racing: the second one's insert
breaks the unique key, and it answers what the first stored (ct.blueprints.api.common
calls ``replay_or_none`` again after the rollback).
"""

from __future__ import annotations

import hashlib

from flask import Response, g, json, request
from sqlalchemy import select
from werkzeug.exceptions import BadRequest, UnprocessableEntity

from ct.extensions import db
from ct.models import ApiIdempotencyKey

KEY_MAX = 255


def _key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not key.strip() or len(key) > KEY_MAX:
        error = BadRequest()
        error.data = {"detail": f"Idempotency-Key must have 1 to {KEY_MAX} characters."}
        raise error
    return key


def _fingerprint() -> str:
    raw = b"\n".join((request.method.encode(), request.path.encode(), request.get_data()))
    return hashlib.sha256(raw).hexdigest()


def replay_or_none() -> Response | None:
    """The stored answer to this token's request with this key, or None (first time)."""
    key = _key()
    if key is None:
        return None
    stored = db.session.scalar(select(ApiIdempotencyKey).where(
        ApiIdempotencyKey.token_id == g.api_token.id, ApiIdempotencyKey.key == key))
    if stored is None:
        return None
    if stored.fingerprint != _fingerprint():
        error = UnprocessableEntity()
        error.data = {"detail": "This Idempotency-Key was used for another request."}
        raise error
    response = Response(stored.body, status=stored.status, mimetype="application/json")
    if stored.location:
        response.headers["Location"] = stored.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def remember(status: int, data: dict, location: str | None) -> None:
    """Keep the answer with the record being saved (same transaction)."""
    key = _key()
    if key is not None:
        db.session.add(ApiIdempotencyKey(
            token_id=g.api_token.id, key=key, fingerprint=_fingerprint(), status=status,
            location=location, body=json.dumps(data)))
