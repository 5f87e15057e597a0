"""The columns the generator writes, table by table, checked against the models.

The generator bypasses the ORM, so it writes by itself what the models' defaults and
``before_insert`` events would (timestamps, folded keys, search text, reminder time).
``check_columns`` fails loudly when a migration adds a required column it does not fill.
"""

from __future__ import annotations

from sqlalchemy import MetaData

STAMPS = ("created_at", "updated_at")

COLUMNS: dict[str, tuple[str, ...]] = {
    "tenants": ("id", "name", "slug", *STAMPS),
    "users": ("id", "email", "display_name", "language", "password_hash", "session_token",
              *STAMPS),
    "memberships": ("id", "tenant_id", "user_id", "role", "rights", "active", *STAMPS),
    "choices": ("id", "tenant_id", "kind", "code", "label", "label_en", "position", "active"),
    "groups": ("id", "tenant_id", "name", *STAMPS),
    "group_members": ("id", "tenant_id", "group_id", "membership_id"),
    "tiers": ("id", "tenant_id", "name", "is_prospect", "is_customer", "is_supplier",
              "customer_code", "email", "phone", "website", "street", "postcode", "town",
              "country", "sales_rep_id", "notes", "active", "created_by_id", "sort_key",
              "name_key", "search_text", *STAMPS),
    "contacts": ("id", "tenant_id", "first_name", "last_name", "job_title", "email", "phone",
                 "mobile", "tiers_id", "notes", "created_by_id", "sort_key", "search_text",
                 *STAMPS),
    "products": ("id", "tenant_id", "reference", "label", "price", "active", *STAMPS),
    "documents": ("id", "tenant_id", "kind_id", "reference", "tiers_id", "date", "amount",
                  "status", "description", "created_by_id", *STAMPS),
    "projects": ("id", "tenant_id", "reference", "title", "tiers_id", "status", "description",
                 "created_by_id", *STAMPS),
    "tasks": ("id", "tenant_id", "label", "project_id", "assignee_id", "due_date", "done",
              "done_at", "created_by_id", *STAMPS),
    "events": ("id", "tenant_id", "title", "starts_at", "ends_at", "all_day", "location",
               "notes", "tiers_id", "reminder_minutes", "reminder_at", "reminder_sent_at",
               "done", "created_by_id", *STAMPS),
    "event_contacts": ("id", "tenant_id", "event_id", "contact_id"),
    "event_assignees": ("id", "tenant_id", "event_id", "membership_id"),
    "exchanges": ("id", "tenant_id", "tiers_id", "document_id", "project_id", "occurred_at",
                  "author_id", "made_by_id", "mode_id", "object_id", "status", "comment",
                  "confidential_comment", "confidential_group_id", "notify_collaborators",
                  "task_id", "event_id", "form_token", "search_text", *STAMPS),
    "exchange_contacts": ("id", "tenant_id", "exchange_id", "contact_id"),
    "exchange_products": ("id", "tenant_id", "exchange_id", "product_id"),
    "exchange_collaborators": ("id", "tenant_id", "exchange_id", "membership_id"),
}

TABLES = list(COLUMNS)


def check_columns(metadata: MetaData) -> None:
    """Every column written exists; every required column is written."""
    problems = []
    for name, written in COLUMNS.items():
        table = metadata.tables[name]
        unknown = set(written) - set(table.columns.keys())
        missing = {
            c.name for c in table.columns
            if not c.nullable and c.server_default is None and c.name not in written
        }
        if unknown:
            problems.append(f"{name}: unknown columns {sorted(unknown)}")
        if missing:
            problems.append(f"{name}: required columns not generated {sorted(missing)}")
    if problems:
        raise RuntimeError("the bench data generator is out of date: " + "; ".join(problems))
