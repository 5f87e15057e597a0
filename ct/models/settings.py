"""The tenant's settings of the module (edited by admins; read everywhere with defaults)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from ct.extensions import db
from ct.models.base import Timestamps
from ct.tenancy import TenantScoped, current_tenant_id

BUTTON_INTEGRATED = "integrated"
BUTTON_FLOATING = "floating"
BUTTON_MODES = (BUTTON_INTEGRATED, BUTTON_FLOATING)
# Pages that show an integrated "New exchange" button (each can be hidden).
BUTTON_PAGES = ("home", "tiers", "contacts", "documents", "projects", "agenda", "exchanges")

DEFAULTS = {
    "choose_user": False,
    "confidential_comments": False,
    "collaborators": True,
    "product_ids": [],
    "button_mode": BUTTON_INTEGRATED,
    "hidden_button_pages": [],
    "widget_days": None,
    "shorten_descriptions": False,
    "shorten_length": 120,
    "large_contacts_threshold": 8000,
}


class TenantSettings(TenantScoped, Timestamps, db.Model):
    __tablename__ = "tenant_settings"
    __extra_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    choose_user: Mapped[bool] = mapped_column(Boolean, default=DEFAULTS["choose_user"])
    confidential_comments: Mapped[bool] = mapped_column(
        Boolean, default=DEFAULTS["confidential_comments"])
    collaborators: Mapped[bool] = mapped_column(Boolean, default=DEFAULTS["collaborators"])
    product_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    button_mode: Mapped[str] = mapped_column(String(20), default=DEFAULTS["button_mode"])
    hidden_button_pages: Mapped[list[str]] = mapped_column(JSON, default=list)
    widget_days: Mapped[int | None] = mapped_column(Integer)
    shorten_descriptions: Mapped[bool] = mapped_column(
        Boolean, default=DEFAULTS["shorten_descriptions"])
    shorten_length: Mapped[int] = mapped_column(Integer, default=DEFAULTS["shorten_length"])
    large_contacts_threshold: Mapped[int] = mapped_column(
        Integer, default=DEFAULTS["large_contacts_threshold"])

    @staticmethod
    def current() -> TenantSettings:
        """The bound tenant's settings; an unsaved object with the defaults if none yet.

        Read once per session (a request): the list, the buttons and the form all ask."""
        cache = db.session.info.setdefault("ct_tenant_settings", {})
        tenant_id = current_tenant_id()
        if tenant_id not in cache:
            found = db.session.scalar(select(TenantSettings))
            cache[tenant_id] = found if found is not None else TenantSettings(**_fresh_defaults())
        return cache[tenant_id]

    def shows_integrated_button(self, page: str) -> bool:
        hidden = self.hidden_button_pages or []
        return self.button_mode == BUTTON_INTEGRATED and page not in hidden

    @property
    def shows_floating_button(self) -> bool:
        return self.button_mode == BUTTON_FLOATING


def _fresh_defaults() -> dict:
    return {k: (list(v) if isinstance(v, list) else v) for k, v in DEFAULTS.items()}
