"""The tenant's settings of the module (edited by admins; read everywhere with defaults)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from ct.core.session_cache import cached
from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import Timestamps

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
    "plan_next_days": 7,
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
    # Closing an exchange offers to plan the next contact this many days later.
    plan_next_days: Mapped[int] = mapped_column(
        Integer, default=DEFAULTS["plan_next_days"], server_default="7")

    @staticmethod
    def current() -> TenantSettings:
        """The bound tenant's settings, to read (an unsaved object: the settings page
        edits the row itself, ct/blueprints/settings/options.py); the defaults if none
        were saved yet. Every page reads them (buttons, lists, the form) and they change
        rarely: kept like the tenant's lists (ct/core/session_cache.py)."""
        values = cached("tenant_settings", (TenantSettings,), _saved_values, shared=True)
        # Copies of the lists: a change to this object must not reach the kept values.
        return TenantSettings(**{name: list(value) if isinstance(value, list) else value
                                 for name, value in values.items()})

    def shows_integrated_button(self, page: str) -> bool:
        hidden = self.hidden_button_pages or []
        return self.button_mode == BUTTON_INTEGRATED and page not in hidden

    @property
    def shows_floating_button(self) -> bool:
        return self.button_mode == BUTTON_FLOATING


def _saved_values() -> dict:
    """The saved settings as plain values, or the defaults."""
    found = db.session.scalar(select(TenantSettings))
    if found is None:
        return dict(DEFAULTS)
    return {name: getattr(found, name) for name in DEFAULTS}
