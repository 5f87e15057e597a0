"""Tenant scoping that a query cannot forget.

The bound tenant lives in a context variable. Every ORM statement that touches a
tenant-owned model gets ``tenant_id == bound`` added automatically; a statement on a
tenant-owned model with no tenant bound raises. New rows are stamped with the bound
tenant, and rows of another tenant are refused at flush. On PostgreSQL each transaction
also tells the database its tenant, for row-level security (docs/TENANCY.md, layer 5).

This module sits below the models: it imports none of them.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import (
    ForeignKey,
    ForeignKeyConstraint,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

from ct.extensions import db

# The only way past the scoping: system jobs that work across tenants (the outbox relay,
# purges) pass this execution option explicitly, so every use is one grep away.
ALL_TENANTS = "ct_all_tenants"

_bound_tenant: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "ct_bound_tenant", default=None
)


class TenantNotBound(RuntimeError):
    """A tenant-owned table was queried or written with no tenant bound."""


class CrossTenantWrite(RuntimeError):
    """A row of another tenant reached the session's flush."""


def current_tenant_id() -> int | None:
    return _bound_tenant.get()


@contextmanager
def bound_tenant(tenant_id: int | None) -> Iterator[None]:
    """Bind a tenant for the duration of the block (requests, jobs, CLI, tests)."""
    token = _bound_tenant.set(tenant_id)
    try:
        yield
    finally:
        _bound_tenant.reset(token)


def bind_tenant(tenant_id: int | None) -> contextvars.Token:
    """Bind without a block; the caller resets with ``unbind_tenant(token)``."""
    return _bound_tenant.set(tenant_id)


def unbind_tenant(token: contextvars.Token) -> None:
    _bound_tenant.reset(token)


def bind_entered_tenant(session: Session, tenant_id: int) -> contextvars.Token:
    """Bind the tenant that the statement entering it already told the database
    (ct.web.current): no second set_config for it."""
    if _on_postgresql(session):
        session.info[_APPLIED] = str(tenant_id)
    return bind_tenant(tenant_id)


def scoped_by_hand(statement):
    """``statement`` limits its tenant rows itself: the statement that enters a company
    reads a membership before any tenant is bound."""
    return statement.execution_options(**{_SCOPED: True})


class TenantScoped:
    """Mixin of every tenant-owned model.

    ``__tenant_refs__`` maps a column to the tenant table it points to; each becomes a
    composite foreign key ``(tenant_id, column) -> (tenant_id, id)`` so the database
    itself refuses a link to another tenant's row. ``__extra_args__`` holds the other
    table arguments (indexes, constraints).
    """

    __tenant_refs__: dict[str, str] = {}
    __extra_args__: tuple = ()
    # Rows that may exist outside any tenant (platform emails) set this to True.
    __tenant_optional__ = False

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("tenants.id", ondelete="CASCADE"),
            # No index of its own: UNIQUE (tenant_id, id) starts with it.
            nullable=cls.__tenant_optional__,
        )

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        args: list = [UniqueConstraint("tenant_id", "id")]
        for column, table in cls.__tenant_refs__.items():
            args.append(
                ForeignKeyConstraint(
                    ["tenant_id", column],
                    [f"{table}.tenant_id", f"{table}.id"],
                )
            )
        args.extend(cls.__extra_args__)
        return tuple(args)


def _touches_tenant_data(state: ORMExecuteState) -> bool:
    return any(
        mapper.class_ is not None and issubclass(mapper.class_, TenantScoped)
        for mapper in state.all_mappers
    )


def scope_to_tenant(state: ORMExecuteState):
    _tell_database(state.session)
    if state.execution_options.get(ALL_TENANTS):
        return _across_tenants(state)
    if state.is_column_load or state.execution_options.get(_SCOPED):
        return None
    if not (state.is_select or state.is_update or state.is_delete):
        return None
    # A statement whose top names no tenant model may still read one below it (a count
    # over a subquery): with a tenant bound it is scoped all the same.
    if not _touches_tenant_data(state) and _bound_tenant.get() is None:
        return None
    state.statement = scoped_to_tenant(state.statement)
    return None


# Marks a statement scoped_to_tenant() already scoped: the hook then skips looking for
# its models, which for a union of subqueries cost more than a millisecond.
_SCOPED = "ct_scoped_to_tenant"


def scoped_to_tenant(statement):
    """``statement`` reading only the bound tenant's rows of every tenant model in it,
    subqueries included. Applied to every statement the session runs while a tenant is
    bound (and to any naming a tenant model, which then needs one)."""
    tenant_id = _bound_tenant.get()
    if tenant_id is None:
        raise TenantNotBound(
            "a tenant-owned table was queried with no tenant bound; bind one with "
            "bound_tenant() or pass the ALL_TENANTS execution option in a system job"
        )
    return _with_tenant_criteria(statement, lambda cls: cls.tenant_id == tenant_id)


def _with_tenant_criteria(statement, criteria):
    """``criteria`` on every tenant model of ``statement`` (aliases and subqueries
    included), and the mark that spares it the listener's search."""
    return statement.options(
        with_loader_criteria(TenantScoped, criteria, include_aliases=True,
                             track_closure_variables=False)
    ).execution_options(**{_SCOPED: True})


def stamp_and_check_tenant(session: Session, flush_context, instances) -> None:
    _tell_database(session)
    tenant_id = _bound_tenant.get()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tenant_id is None and not obj.__tenant_optional__:
                raise TenantNotBound(f"cannot create {type(obj).__name__}: no tenant bound")
            obj.tenant_id = tenant_id
        elif tenant_id is not None and obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant")
    if tenant_id is None:
        return
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, TenantScoped) and obj.tenant_id not in (tenant_id, None):
            raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant")


# --- PostgreSQL row-level security (docs/TENANCY.md) -------------------------------
# Every tenant table has a policy that shows and accepts only the rows of the tenant in
# the transaction's ``app.tenant_id`` setting; ``app.all_tenants = 'on'`` lifts it for
# one ALL_TENANTS statement. Both are set with set_config(..., true): local to the
# transaction, so a pooled connection never carries a tenant into the next request.

_APPLIED = "ct_database_tenant"  # session.info: the tenant this transaction carries


def _on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _tell_database(session: Session, connection=None) -> None:
    """Bring the transaction's ``app.tenant_id`` in line with the bound tenant.

    Called before every statement and flush, because the tenant is often bound after
    the transaction began (the login loader's query opens it, the URL binds it next).
    """
    if not _on_postgresql(session):
        return
    # Beginning the transaction here applies the tenant already (after_begin).
    connection = connection or session.connection()
    tenant_id = _bound_tenant.get()
    wanted = "" if tenant_id is None else str(tenant_id)
    if session.info.get(_APPLIED) == wanted:
        return
    connection.execute(text("SELECT set_config('app.tenant_id', :tenant, true)"),
                       {"tenant": wanted})
    session.info[_APPLIED] = wanted


def _across_tenants(state: ORMExecuteState):
    """Run one ALL_TENANTS statement with the database policy lifted for it alone."""
    session = state.session
    if not _on_postgresql(session):
        return None  # the statement runs as usual, unscoped
    connection = session.connection()
    connection.execute(text("SELECT set_config('app.all_tenants', 'on', true)"))
    try:
        result = state.invoke_statement()
    except DBAPIError:
        raise  # the transaction is aborted: its rollback ends the setting too
    except BaseException:
        connection.execute(text("SELECT set_config('app.all_tenants', '', true)"))
        raise
    connection.execute(text("SELECT set_config('app.all_tenants', '', true)"))
    return result


def begin_with_tenant(session: Session, transaction, connection) -> None:
    # A transaction starts with no tenant (the settings are only ever set local to a
    # transaction): a round trip is needed only once a tenant is bound.
    session.info[_APPLIED] = ""
    if _bound_tenant.get() is not None:
        _tell_database(session, connection)


def forget_applied_tenant(session: Session, transaction) -> None:
    # Commit and rollback reset the settings (a rolled back savepoint too). A flush's
    # own inner transaction ends inside the same database transaction: nothing reset.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_APPLIED, None)


def find(model, record_id: int | None):
    """The row of the bound tenant with this id, or None: another tenant's id finds
    nothing, like an unknown one."""
    if not record_id:
        return None
    return db.session.scalar(select(model).where(model.id == record_id))


def in_each_tenant(model, *conditions, work: Callable[[], int]) -> int:
    """A system job's pass over the companies: ``work`` runs in each tenant that has rows
    of ``model`` matching ``conditions``, in a transaction bound to that tenant and
    committed after it; returns the sum of what ``work`` returns."""
    tenants = db.session.scalars(
        select(model.tenant_id).where(*conditions).distinct()
        .execution_options(**{ALL_TENANTS: True})  # which companies have some
    ).all()
    db.session.rollback()
    done = 0
    try:
        for tenant_id in tenants:
            with bound_tenant(tenant_id):
                done += work()
                db.session.commit()
    finally:
        db.session.remove()
    return done
