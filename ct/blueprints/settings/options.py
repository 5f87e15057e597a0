"""Saving the tenant's options and its products of the exchange form, audited."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ct.core.search import LIMIT, MAX_QUERY
from ct.core.text import like_escaped
from ct.extensions import db
from ct.models import AuditEntry, Membership, Product, TenantSettings

AUDIT_ACTION = "settings.update"
PRODUCTS_MAX = 100


def _snapshot(settings: TenantSettings, fields) -> dict:
    # Copies: a list changed in place must not change the "before" side too.
    return {f: (list(v) if isinstance(v := getattr(settings, f), list) else v) for f in fields}


def editable_settings() -> TenantSettings:
    """The tenant's settings row, created with the defaults on first save, locked for
    the rest of the transaction so that two saves apply one after the other."""
    if db.session.scalar(select(TenantSettings.id)) is None:
        db.session.add(TenantSettings.current())
        try:
            db.session.commit()
        except IntegrityError:  # a concurrent first save created it
            db.session.rollback()
    return db.session.scalar(select(TenantSettings).with_for_update())


def save(values: dict, actor: Membership) -> bool:
    """Store ``values`` and audit the fields that changed; True when something did."""
    settings = editable_settings()
    before = _snapshot(settings, values)
    for field, value in values.items():
        setattr(settings, field, value)
    return AuditEntry.record(actor, AUDIT_ACTION, before, _snapshot(settings, values)) is not None


def chosen_products(settings: TenantSettings) -> list[Product]:
    """The products of the exchange form that still exist, in the order they were added."""
    ids = list(settings.product_ids or [])
    if not ids:
        return []
    found = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def find_product(product_id: int | None) -> Product | None:
    if product_id is None:
        return None
    return db.session.scalar(select(Product).where(Product.id == product_id))


def search_products(q: str, exclude: list[int]) -> list[Product]:
    """Active products whose label or reference contains ``q``, by label."""
    query = select(Product).where(Product.active.is_(True)).order_by(Product.label).limit(LIMIT)
    text = q.strip().lower()[:MAX_QUERY]
    if text:
        escaped = like_escaped(text)
        pattern = f"%{escaped}%"
        query = query.where(or_(func.lower(Product.label).like(pattern, escape="\\"),
                                func.lower(Product.reference).like(pattern, escape="\\")))
    if exclude:
        query = query.where(Product.id.not_in(exclude))
    return list(db.session.scalars(query))


def set_products(product_ids: list[int], actor: Membership) -> None:
    settings = editable_settings()
    before = {"product_ids": list(settings.product_ids or [])}
    settings.product_ids = product_ids
    AuditEntry.record(actor, AUDIT_ACTION, before, {"product_ids": list(product_ids)})
