"""The All exchanges list at a million rows: plan and time of every filter and sort.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ct_bench \
        .venv/bin/python -m bench.exchange_list --rows 1000000

The database is emptied, migrated and filled (PostgreSQL only: generate_series), then
each combination of one filter with each sort runs through the list's own query code
(first page and a deep page) under EXPLAIN ANALYZE. A line is flagged when the plan
reads the whole exchanges table (Seq Scan) or when it takes longer than the budget.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import select

from bench.context import SECRET_KEY as BENCH_SECRET_KEY
from ct import create_app
from ct.auth import accounts
from ct.config import Config, _database_url
from ct.core.db_setup import drop_everything
from ct.core.permissions import PRESETS, ROLE_MEMBER
from ct.core.tenancy import bound_tenant
from ct.exchanges.query import (
    SORTS,
    ExchangeFilters,
    apply_filters,
    history_clause,
    sorted_page,
    visible_exchanges,
)
from ct.extensions import db
from ct.models import Choice, Contact, Exchange, Membership

BUDGET_MS = 50.0


def fill(rows: int) -> tuple[int, int]:
    """Two tenants (the measured one and a neighbour), members, tiers, contacts,
    documents and ``rows`` exchanges with one or two contacts each."""
    tenant = accounts.sign_up("Bench SA", "Bench Admin", "bench@bench.test", "x" * 12, "fr")
    other = accounts.sign_up("Other SA", "Other Admin", "other@bench.test", "x" * 12, "fr")
    db.session.flush()
    with bound_tenant(tenant.id):
        members = []
        for i in range(20):
            user = accounts.create_user(f"m{i}@bench.test", f"Member {i}", "x" * 12, "fr")
            members.append(Membership.create(user, ROLE_MEMBER))
        db.session.flush()
        reader = members[0]
        reader.rights = list(PRESETS["restricted"])
    db.session.commit()
    sql = [
        """INSERT INTO tiers (tenant_id, name, is_prospect, is_customer, is_supplier, active,
               sort_key, name_key, search_text, created_at, updated_at)
           SELECT t, 'Tiers ' || g, false, true, false, true, 'tiers ' || lpad(g::text, 6, '0'),
               'tiers ' || g, 'tiers ' || g, now(), now()
           FROM (VALUES (1, :a), (2, :b)) v(n, t), generate_series(1, 20000) g
           ORDER BY n, g""",
        """INSERT INTO contacts (tenant_id, first_name, last_name, tiers_id, sort_key,
               search_text, created_at, updated_at)
           SELECT t.tenant_id, 'Jean', 'Contact ' || g, t.id, 'contact ' || g, 'contact', now(),
               now()
           FROM tiers t, generate_series(1, 2) g""",
        """INSERT INTO documents (tenant_id, kind_id, reference, tiers_id, date, status,
               created_at, updated_at)
           SELECT t.tenant_id, (SELECT id FROM choices c WHERE c.tenant_id = t.tenant_id
               AND kind = 'document' LIMIT 1), 'D' || t.id, t.id, current_date, 'sent', now(),
               now()
           FROM tiers t WHERE t.id % 2 = 0""",
        """INSERT INTO exchanges (tenant_id, tiers_id, document_id, occurred_at, author_id,
               made_by_id, mode_id, object_id, status, comment, notify_collaborators,
               search_text, created_at, updated_at)
           SELECT :a, tier.first + (g::bigint * 7919) % 20000, NULL,
               now() - (g || ' minutes')::interval,
               m.ids[1 + g % 20], m.ids[1 + (g / 7) % 20],
               mo.ids[1 + g % array_length(mo.ids, 1)], ob.ids[1 + g % array_length(ob.ids, 1)],
               (ARRAY['closed','closed','closed','in_progress','todo'])[1 + g % 5],
               'Appel numero ' || g || ' au sujet du devis', false,
               'appel numero ' || g || ' au sujet du devis', now(), now()
           FROM generate_series(1, :rows) g
           CROSS JOIN (SELECT array_agg(id ORDER BY id) ids FROM memberships
               WHERE tenant_id = :a) m
           CROSS JOIN (SELECT array_agg(id) ids FROM choices WHERE tenant_id = :a
               AND kind = 'mode') mo
           CROSS JOIN (SELECT array_agg(id) ids FROM choices WHERE tenant_id = :a
               AND kind = 'object') ob
           CROSS JOIN (SELECT min(id) first FROM tiers WHERE tenant_id = :a) tier""",
        """INSERT INTO exchange_contacts (tenant_id, exchange_id, contact_id)
           SELECT e.tenant_id, e.id, c.id FROM exchanges e
           JOIN (SELECT tiers_id, min(id) id FROM contacts GROUP BY tiers_id) c
               ON c.tiers_id = e.tiers_id""",
        """UPDATE exchanges SET document_id = d.id FROM documents d
           WHERE exchanges.id % 10 = 0 AND d.tiers_id = exchanges.tiers_id""",
        # A mode and an object hardly ever used: their filters must not read the table.
        """INSERT INTO choices (tenant_id, kind, code, label, position, active)
           VALUES (:a, 'mode', 'fair', 'Salon', 9, true),
                  (:a, 'object', 'rare', 'Rare', 9, true)""",
        """UPDATE exchanges SET mode_id = (SELECT id FROM choices WHERE tenant_id = :a
               AND code = 'fair'), object_id = (SELECT id FROM choices WHERE tenant_id = :a
               AND code = 'rare')
           WHERE tenant_id = :a AND id % 10000 = 7""",
        "ANALYZE",
    ]
    for statement in sql:
        started = time.perf_counter()
        db.session.execute(sa.text(statement), {"a": tenant.id, "b": other.id, "rows": rows})
        db.session.commit()
        print(f"  {time.perf_counter() - started:6.1f}s  {statement.split()[0:3]}")
    return tenant.id, reader.id


def explain(run) -> tuple[float, bool]:
    """Run ``run`` once, capture its first exchanges query and explain it."""
    captured: list = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM exchanges" in statement and not captured:
            captured.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    with db.engine.connect() as conn:
        plan = [row[0] for row in conn.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)]
    total = float(plan[-1].split(":")[1].split()[0])
    seq = any("Seq Scan on exchanges" in line for line in plan)
    if os.environ.get("BENCH_VERBOSE"):
        print("\n".join(plan))
    return total, seq


ONLY = os.environ.get("BENCH_ONLY", "")


def report(label: str, run) -> bool:
    if ONLY and ONLY not in label:
        return True
    ms, seq = explain(run)
    flag = "SLOW " if ms > BUDGET_MS else ""
    flag += "SEQ " if seq else ""
    print(f"  {ms:8.1f} ms  {flag:9} {label}")
    return not flag


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the filled database")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/ct_bench")

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = _database_url(url)
        REDIS_URL = None
        PASSWORD_HASH_FAST = True
        SECRET_KEY = BENCH_SECRET_KEY

    app = create_app(BenchConfig)
    with app.app_context():
        if not args.keep:
            drop_everything(db.engine)
            upgrade()
            print(f"filling {args.rows} exchanges…")
            tenant_id, reader_id = fill(args.rows)
        else:
            tenant_id, reader_id = db.session.execute(sa.text(
                "SELECT t.id, min(m.id) FROM tenants t JOIN memberships m ON m.tenant_id = t.id"
                " WHERE t.slug LIKE 'bench%' AND m.role = 'member' GROUP BY t.id")).one()
    with app.test_request_context(), bound_tenant(tenant_id):
        ok = run_all(reader_id)
    print("all within budget" if ok else "some combinations need attention")


def run_all(reader_id: int) -> bool:
    admin = db.session.scalar(select(Membership).where(Membership.role == "admin"))
    reader = db.session.scalar(select(Membership).where(Membership.id == reader_id))
    some = db.session.scalar(select(Exchange).order_by(Exchange.id.desc()).limit(1))
    contact = db.session.scalar(select(Contact).where(Contact.tiers_id == some.tiers_id))
    mode = db.session.scalar(select(Choice).where(Choice.kind == "mode"))
    obj = db.session.scalar(select(Choice).where(Choice.kind == "object"))
    rare_mode = db.session.scalar(select(Choice).where(Choice.code == "fair"))
    rare_object = db.session.scalar(select(Choice).where(Choice.code == "rare"))
    today = date.today()
    filters = {
        "none": ExchangeFilters(),
        "tiers": ExchangeFilters(tiers_id=some.tiers_id),
        "contact": ExchangeFilters(contact_id=contact.id),
        "member": ExchangeFilters(member_id=some.made_by_id),
        "mode": ExchangeFilters(mode_id=mode.id),
        "object": ExchangeFilters(object_id=obj.id),
        "rare mode": ExchangeFilters(mode_id=rare_mode.id),
        "rare objct": ExchangeFilters(object_id=rare_object.id),
        "status": ExchangeFilters(status="todo"),
        "dates": ExchangeFilters(date_from=today - timedelta(days=30), date_to=today),
        "text": ExchangeFilters(text="numero 4242"),
        "rare text": ExchangeFilters(text="zzz nothing"),
        "all": ExchangeFilters(tiers_id=some.tiers_id, member_id=some.made_by_id,
                               mode_id=mode.id, status="closed", text="devis"),
    }
    ok = True
    for who, membership in (("read all", admin), ("read own", reader)):
        for name, f in filters.items():
            for sort in SORTS:
                query = apply_filters(visible_exchanges(membership), f)

                def first(q=query, s=sort):
                    return sorted_page(q, s, None)

                ok &= report(f"{who:8} {name:10} {sort}", first)
                page = first()
                for _ in range(3):  # a few pages in
                    if page.next_cursor:
                        page = sorted_page(query, sort, page.next_cursor)
                if page.next_cursor:
                    ok &= report(f"{who:8} {name:10} {sort} (page 5)",
                                 lambda q=query, s=sort, c=page.next_cursor: sorted_page(q, s, c))
        for kind, record_id in (("tiers", some.tiers_id), ("contact", contact.id)):
            query = visible_exchanges(membership).where(history_clause(kind, record_id))
            ok &= report(f"{who:8} history {kind}",
                         lambda q=query: sorted_page(q, "date_desc", None))
    return ok


if __name__ == "__main__":
    main()
