"""The schema: migrations match the models, and tenant keys are consistent everywhere."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ct.core.tenancy import TenantScoped
from ct.extensions import db

# Created by hand in migrations on PostgreSQL only (trigram search, expression sort keys),
# unknown to the models.
DATABASE_ONLY_INDEXES = {
    "ix_tiers_search_trgm", "ix_contacts_search_trgm", "ix_exchanges_search_trgm",
    "ix_tiers_name_trgm",
    "ix_tiers_tenant_code_sort", "ix_tiers_tenant_town_sort",
    "ix_contacts_tenant_email_lower", "ix_tiers_tenant_email_lower"}


def _tenant_tables():
    return {
        mapper.local_table.name: mapper.local_table
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, TenantScoped)
    }


def test_migrations_build_exactly_the_models(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    diff = [d for d in diff if not (d[0] == "remove_index" and d[1].name in DATABASE_ONLY_INDEXES)]
    assert diff == []


def test_every_tenant_table_is_unique_on_tenant_and_id(app):
    tables = _tenant_tables()
    assert len(tables) >= 10
    for name, table in tables.items():
        uniques = [
            tuple(c.name for c in constraint.columns)
            for constraint in table.constraints
            if constraint.__class__.__name__ == "UniqueConstraint"
        ]
        assert ("tenant_id", "id") in uniques, name
        for columns in uniques:
            assert columns[0] == "tenant_id", f"{name}: unique {columns} must start with tenant_id"


def test_links_between_tenant_tables_are_composite(app):
    tables = _tenant_tables()
    for name, table in tables.items():
        for fk in table.foreign_key_constraints:
            target = fk.referred_table.name
            if target not in tables:
                continue  # users, tenants: global tables
            columns = [c.name for c in fk.columns]
            assert columns[0] == "tenant_id" and len(columns) == 2, (
                f"{name} -> {target} must be a composite (tenant_id, x) key, not {columns}")
            assert [e.column.name for e in fk.elements][0] == "tenant_id"
