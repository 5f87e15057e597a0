"""The machinery of the route probes and the fuzzer: a fully populated company B with ids
no other row uses, the URL map walked rule by rule, the form and query fields each view
reads (recorded while it runs), the forms of the pages, and a fingerprint of the database.
"""

from __future__ import annotations

import contextvars
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import sqlalchemy as sa
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

from ct.attachments.files import attach, check
from ct.auth import accounts
from ct.blueprints.settings.options import editable_settings
from ct.core.permissions import ROLE_MEMBER
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import (
    ApiIdempotencyKey,
    ApiToken,
    AuditEntry,
    CalendarToken,
    CaptureAddress,
    Choice,
    Contact,
    Document,
    EmailTemplate,
    Event,
    EventAssignee,
    EventContact,
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    ExchangeProduct,
    Group,
    GroupMember,
    ImportRun,
    InboundEmail,
    Invitation,
    Membership,
    OutboxEmail,
    Product,
    Project,
    Task,
    Tiers,
    TrashItem,
)
from ct.models.webhook import WebhookDelivery, WebhookEndpoint, new_secret
from tests.conftest import PASSWORD
from tests.downloads import fetch

# Written in every text column of company B: a page of company A showing it leaks.
SECRET = "Zorglub"
# Company B's rows get ids far above anything the tests create, and no two of its rows
# share one: an id posted anywhere can only ever name B's row of one table.
FIRST_ID = 900_001


@dataclass
class Company:
    slug: str
    tenant_id: int
    ids: dict[str, int] = field(default_factory=dict)  # object type -> id
    template: tuple[str, str] = ("", "")  # (name, language) of B's own email wording

    @property
    def all_ids(self) -> list[int]:
        return sorted(set(self.ids.values()))


def populate(app, tenant, first_id: int = FIRST_ID, secret: str = SECRET) -> Company:
    """One row of every tenant table in ``tenant`` (a conftest TenantData), each with an
    id of its own from ``first_id`` on, every text naming ``secret``."""
    from ct.emails.templates import EDITABLE

    SECRET = secret  # noqa: N806 - the same word as the module's, for this company
    mail = secret.lower()
    ids = iter(range(first_id, first_id + 100))
    made: dict[str, int] = {}

    def add(kind: str, row):
        row.id = next(ids)
        db.session.add(row)
        db.session.flush()
        made[kind] = row.id
        return row

    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context(), bound_tenant(tenant.id):
        user = accounts.create_user(f"{mail}@example.com", f"{SECRET} Member", PASSWORD, "fr")
        db.session.flush()
        member = add("membership", Membership(user_id=user.id, role=ROLE_MEMBER, rights=[],
                                              active=True))
        group = add("group", Group(name=f"{SECRET} group"))
        add("group_member", GroupMember(group_id=group.id, membership_id=member.id))
        mode = add("mode", Choice(kind="mode", code=None, label=f"{SECRET} mode", position=99))
        obj = add("object", Choice(kind="object", label=f"{SECRET} object", position=99))
        kind = add("document_kind", Choice(kind="document", label=f"{SECRET} kind",
                                           position=99))
        add("status_choice", Choice(kind="status", label=f"{SECRET} status", position=99))
        tiers = add("tiers", Tiers(name=f"{SECRET} SA", email=f"{mail}@example.com",
                                   sales_rep_id=member.id))
        contact = add("contact", Contact(first_name=SECRET, last_name="Contact",
                                         tiers_id=tiers.id, email=f"contact@{mail}.fr"))
        document = add("document", Document(kind_id=kind.id, reference=f"{SECRET}-DOC",
                                            tiers_id=tiers.id, date=date(2026, 3, 1)))
        product = add("product", Product(reference=f"{SECRET}-P", label=f"{SECRET} product"))
        project = add("project", Project(reference=f"{SECRET}-PRJ", title=f"{SECRET} project",
                                         tiers_id=tiers.id))
        task = add("task", Task(label=f"{SECRET} task", project_id=project.id,
                                assignee_id=member.id, done=False))
        event = add("event", Event(title=f"{SECRET} meeting", starts_at=now + timedelta(days=2),
                                   ends_at=now + timedelta(days=2, hours=1), tiers_id=tiers.id))
        add("event_assignee", EventAssignee(event_id=event.id, membership_id=member.id))
        add("event_contact", EventContact(event_id=event.id, contact_id=contact.id))
        exchange = add("exchange", Exchange(
            tiers_id=tiers.id, author_id=member.id, made_by_id=member.id, mode_id=mode.id,
            object_id=obj.id, document_id=document.id, project_id=project.id,
            task_id=task.id, event_id=event.id, confidential_group_id=group.id,
            comment=f"{SECRET} comment", confidential_comment=f"{SECRET} confidential",
            status="todo", occurred_at=now - timedelta(days=1)))
        add("exchange_contact", ExchangeContact(exchange_id=exchange.id, contact_id=contact.id))
        add("attachment", attach(exchange, [check(f"{SECRET}.pdf", io.BytesIO(b"%PDF-1.4"))],
                                 member)[0])
        add("exchange_product", ExchangeProduct(exchange_id=exchange.id, product_id=product.id))
        add("exchange_collaborator", ExchangeCollaborator(exchange_id=exchange.id,
                                                          membership_id=member.id))
        invitation = Invitation(email=f"invited@{mail}.fr", role=ROLE_MEMBER,
                                invited_by_id=member.id)
        invitation._new_secret()
        add("invitation", invitation)
        template = EDITABLE[0]
        add("email_template", EmailTemplate(
            name=template.name, language="fr", subject=f"{SECRET} subject",
            body_text=f"{SECRET} body", body_html=f"<p>{SECRET} body</p>",
            updated_by_id=member.id))
        add("import_run", ImportRun(kind="tiers", filename=f"{SECRET}.csv",
                                    content=f"name\n{SECRET}\n".encode(), encoding="utf-8",
                                    delimiter=",", status="checked", total_rows=1,
                                    created_by_id=member.id, report={}))
        add("outbox", OutboxEmail(kind="invitation", to_email=f"invited@{mail}.fr",
                                  subject=f"{SECRET} mail", body_text=f"{SECRET} text",
                                  body_html=f"<p>{SECRET}</p>", status="failed",
                                  last_error="boom"))
        add("audit", AuditEntry(actor_id=member.id, action="tiers.create",
                                target=f"tiers:{tiers.id}", before={}, after={"name": SECRET}))
        add("trash_item", TrashItem(kind="contact", record_id=999_999, label=f"{SECRET} gone",
                                    payload={"last_name": SECRET}, deleted_by_id=member.id))
        add("calendar_token", CalendarToken(membership_id=member.id, token_hash="0" * 64))
        add("api_token", ApiToken(membership_id=member.id, name=SECRET, token_hash="1" * 64))
        add("api_idempotency_key", ApiIdempotencyKey(
            token_id=made["api_token"], key=SECRET, fingerprint="2" * 64, status=201,
            body=f'{{"name": "{SECRET}"}}'))
        endpoint = add("webhook_endpoint", WebhookEndpoint(
            url=f"https://{mail}.example.com/hook", description=f"{SECRET} hook",
            secret=new_secret(), event_types=["tiers.created"], created_by_id=member.id))
        add("webhook_delivery", WebhookDelivery(
            endpoint_id=endpoint.id, event_type="tiers.created", message_id=f"msg_{mail}",
            payload=f'{{"name": "{SECRET}"}}', status="failed", last_error=f"{SECRET} 500"))
        address = add("capture_address", CaptureAddress(
            membership_id=member.id, nonce=f"{mail}"[:32], token_hash=f"3{mail}".ljust(64, "3")))
        add("inbound_email", InboundEmail(
            membership_id=member.id, address_id=address.id, message_id=f"<{mail}@example>",
            mail_from=f"{mail}@example.com", raw=f"Subject: {SECRET}\n\n{SECRET}".encode(),
            status="to_classify", subject=f"{SECRET} mail",
            unknown=[{"email": f"{mail}@prospect.fr", "name": SECRET}]))
        settings = editable_settings()
        settings.product_ids = [product.id]
        db.session.commit()
    return Company(tenant.slug, tenant.id, made, (template.name, "fr"))


# --- Recording which fields a view reads ----------------------------------------------

_reads: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "probe_reads", default=None)


class RecordingDict(ImmutableMultiDict):
    """Query strings and form bodies that note every key a view looks up."""

    def _note(self, key):
        seen = _reads.get()
        if seen is not None and isinstance(key, str):
            seen.append(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        self._note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self._note(key)
        return super().getlist(key, type)


class RecordingRequest(Request):
    parameter_storage_class = RecordingDict


def page_text(client, url: str) -> str:
    """A page's text, its answer closed (a download streams its file: closing closes it)."""
    return fetch(client, url).get_data(as_text=True)


def fields_read(client, method: str, url: str, **kwargs) -> tuple[list[str], object]:
    """The names of the query or form fields the view read, in order, and the response.
    Needs ``app.request_class = RecordingRequest``."""
    seen: list[str] = []
    token = _reads.set(seen)
    try:
        response = client.open(url, method=method, **kwargs)
        response.get_data()
        response.close()  # a download streams its file: closing closes it
    finally:
        _reads.reset(token)
    names = [n for n in dict.fromkeys(seen) if n != "csrf_token"]
    return names, response


# --- The URL map ------------------------------------------------------------------------

SLUG = "slug"


def tenant_rules(app):
    """Every rule under /t/<slug>/, with its methods (HEAD and OPTIONS aside)."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if SLUG in rule.arguments:
            yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def global_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if SLUG not in rule.arguments:
            yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def build_url(rule, values: dict) -> str:
    """The path of ``rule`` with ``values`` (no url_for: it would need a request and
    would refuse an id of the wrong shape)."""
    def fill(match):
        return str(values[match.group(2)])
    return re.sub(r"<(?:([a-z]+):)?(\w+)>", fill, rule.rule)


# --- Forms of the pages -----------------------------------------------------------------

@dataclass
class PageForm:
    action: str
    method: str
    fields: list[tuple[str, str]]  # (name, default value) in page order, repeats allowed
    kinds: dict[str, str]  # name -> input type ("select", "select-multiple", "date"...)
    options: dict[str, list[str]]  # name -> option values of a select
    element_id: str = ""
    targets: tuple[str, ...] = ()  # every address it posts to (action, hx-post)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: tuple[str, bool] | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text = ""
        self._outside: list[tuple[str, dict]] = []  # (form id, attributes)

    def _owner(self, a: dict) -> PageForm | None:
        """The form of a field: the one it sits in, or the one its form="…" names."""
        if a.get("form"):
            return next((f for f in self.forms if f.element_id == a["form"]), None)
        return self._form

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = PageForm(a.get("action") or "", (a.get("method") or "get").lower(),
                                  [], {}, {}, a.get("id", ""))
            self._form.targets = tuple(t for t in (a.get("action"), a.get("hx-post")) if t)
            if a.get("hx-post"):
                self._form.method = "post"
            self.forms.append(self._form)
            return
        if a.get("form") and tag in ("input", "button") and self._owner(a) is None:
            self._outside.append((a["form"], a))  # its form comes later in the page
            return
        form = self._owner(a)
        if form is None or not a.get("name") and tag != "option":
            return
        self._field(form, tag, a)

    def close(self):
        super().close()
        for form_id, a in self._outside:
            form = next((f for f in self.forms if f.element_id == form_id), None)
            if form is not None and a.get("name"):
                self._field(form, "input", a)

    def _field(self, form: PageForm, tag: str, a: dict):
        if tag == "button":
            # The first named submit button says what the form does (action=status…).
            if a.get("name") and (a.get("type") or "submit") == "submit" and not any(
                    n == a["name"] for n, _ in form.fields):
                form.fields.append((a["name"], a.get("value", "")))
                form.kinds[a["name"]] = "submit"
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a["name"]
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "file":
                    form.kinds[name] = "file"
                return
            if "disabled" in a:
                return
            if kind == "text" and a.get("inputmode") in ("decimal", "numeric"):
                kind = "number"
            form.kinds.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
                form.options.setdefault(name, []).append(a.get("value", "on"))
            else:
                form.fields.append((name, a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""
            form.kinds[a["name"]] = "textarea"
        elif tag == "select":
            multiple = "multiple" in a
            self._select = (a["name"], multiple)
            self._select_value = None
            form.kinds[a["name"]] = "select-multiple" if multiple else "select"
            form.options.setdefault(a["name"], [])
        elif tag == "option" and self._select is not None:
            name, multiple = self._select
            value = a.get("value", "")
            form.options[name].append(value)
            if "selected" in a:
                if multiple:
                    form.fields.append((name, value))
                else:
                    self._select_value = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, self._text))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            if not multiple:
                options = self._form.options[name]
                value = self._select_value
                if value is None:
                    value = next((o for o in options if o), options[0] if options else "")
                self._form.fields.append((name, value))
            self._select = None


def page_forms(html: str) -> list[PageForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


# A plausible value for an input left empty, by type: the baseline a forged field is
# swapped into should be valid otherwise, or the forgery proves little.
def filler(kind: str) -> str:
    today = date.today()
    return {
        "date": (today + timedelta(days=3)).isoformat(),
        "time": "10:00",
        "datetime-local": f"{(today + timedelta(days=3)).isoformat()}T10:00",
        "number": "1",
        "email": "probe@alpha.fr",
        "url": "https://example.com",
        "tel": "0102030405",
        "password": "probe password long enough",
    }.get(kind, "Probe value")


# Boxes whose name says more than their type.
NAMED_FILLERS = {"amount": "12.50", "price": "12.50", "website": "https://example.com"}


def baseline(form: PageForm, known: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The form as a person would send it after filling every empty box: ``known`` holds
    values the same field has on other pages (a third party chosen on another form, when
    this one searches for it as you type)."""
    known = known or {}
    values = []
    for name, value in form.fields:
        kind = form.kinds.get(name, "text")
        if not value and name in known and kind in ("select", "select-multiple", "hidden"):
            value = known[name]
        elif not value and kind not in ("checkbox", "radio", "hidden", "select",
                                        "select-multiple", "search", "submit"):
            value = NAMED_FILLERS.get(name) or filler(kind)
        values.append((name, value))
    # Every box ticked: the optional parts (a task, an event...) are sent and checked too.
    for name, kind in form.kinds.items():
        if kind == "checkbox":
            sent = {v for n, v in values if n == name}
            values += [(name, v) for v in form.options.get(name, []) if v not in sent]
    return values


def points_to(app, tenant_id: int, ids) -> list[str]:
    """The rows of ``tenant_id`` holding one of ``ids`` in a column other than their own
    id (a link, or a list of ids in JSON): a link to another company's row."""
    wanted = {str(i) for i in ids}
    found = []
    with app.app_context(), db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if "tenant_id" not in table.c:
                continue
            columns = [c for c in table.c if c.name not in ("id", "tenant_id")]
            for row in conn.execute(sa.select(*columns).where(table.c.tenant_id == tenant_id)):
                for column, value in zip(columns, row, strict=True):
                    if set(re.findall(r"\d+", repr(value))) & wanted:
                        found.append(f"{table.name}.{column.name}={value!r}")
    return found


def known_values(forms: list[PageForm]) -> dict[str, str]:
    """A non-empty value of each field name, taken from any of the forms."""
    known: dict[str, str] = {}
    for form in forms:
        for name, value in form.fields:
            if value.strip() and form.kinds.get(name) not in ("submit", "hidden"):
                known.setdefault(name, value)
    return known


# --- The database -----------------------------------------------------------------------

def fingerprint(app) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table: equal before and after
    proves that nothing was written (an update included)."""
    tables = db.metadata.sorted_tables
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # One round trip: the fuzzer takes a fingerprint after every request.
            parts = [f'(SELECT count(*) || \':\' || md5(coalesce(string_agg(t::text, \'|\' '
                     f'ORDER BY t::text), \'\')) FROM "{table.name}" t)' for table in tables]
            row = conn.exec_driver_sql("SELECT " + ", ".join(parts)).one()
            return {table.name: value for table, value in zip(tables, row, strict=True)}
        out = {}
        for table in tables:
            rows = sorted(repr(tuple(row)) for row in conn.execute(sa.select(table)))
            out[table.name] = f"{len(rows)}:" + hashlib.sha256(
                "\n".join(rows).encode()).hexdigest()
        return out


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


# --- Answers ---------------------------------------------------------------------------

def shows_field_error(response) -> bool:
    html = response.get_data(as_text=True)
    return 'aria-invalid="true"' in html or 'class="field-error"' in html


def error_flashed(client) -> bool:
    """Whether the last answer queued an error message for the next page (and clear it)."""
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    return any(category == "error" for category, _message in flashes)


def refused(client, response) -> bool:
    """404, another 4xx, the form again with an error next to a field, or — for the
    actions of a list — back to the list with an error message."""
    flashed = error_flashed(client)
    if 400 <= response.status_code < 500:
        return True
    if response.status_code in (302, 303):
        return flashed
    return response.status_code == 200 and shows_field_error(response)


def every_part_on(app, company):
    """The optional parts of the forms shown (made by, collaborators, confidential
    comments), so that their fields are probed as a person would fill them."""
    with app.app_context(), bound_tenant(company.tenant_id):
        settings = editable_settings()
        settings.choose_user = settings.collaborators = settings.confidential_comments = True
        db.session.commit()



def probing_company(app, tenant) -> Company:
    """The company that probes: its own rows (ids from 800,001, texts naming
    "Alphonse", never SECRET) with every optional part of the forms shown."""
    own = populate(app, tenant, 800_001, "Alphonse")
    every_part_on(app, own)
    return own

# --- Pages of a company -----------------------------------------------------------------

ROW_ARGS = {
    "contact_id": "contact", "document_id": "document", "email_id": "outbox",
    "entry_id": "mode", "event_id": "event", "exchange_id": "exchange", "group_id": "group",
    "invitation_id": "invitation", "membership_id": "membership", "product_id": "product",
    "project_id": "project", "run_id": "import_run", "task_id": "task", "tiers_id": "tiers",
    "item_id": "trash_item", "record_id": "tiers", "token_id": "api_token",
    "endpoint_id": "webhook_endpoint", "delivery_id": "webhook_delivery",
    "inbound_id": "inbound_email", "attachment_id": "attachment",
}
# Words of a URL, filled by (company, endpoint): <name> is an email or a home widget.
WORD_ARGS = {
    "kind": lambda c, e: "mode",
    "name": lambda c, e: "latest_exchanges" if e.startswith("home.") else c.template[0],
    "language": lambda c, e: c.template[1],
    "record_type": lambda c, e: "tiers",
}


def url_values(rule, own: Company, other: Company | None = None,
               use_other: frozenset[str] | set[str] = frozenset()) -> dict:
    """The values of ``rule``'s arguments: ``own``'s rows, or ``other``'s for the
    arguments named in ``use_other``; the words are always ``own``'s."""
    values = {"slug": own.slug}
    for arg in sorted(rule.arguments - {"slug"}):
        company = other if arg in use_other else own
        if arg in ROW_ARGS:
            values[arg] = company.ids[ROW_ARGS[arg]]
        elif arg in WORD_ARGS:
            values[arg] = WORD_ARGS[arg](own, rule.endpoint)
        else:
            raise AssertionError(
                f"no value for <{arg}> of {rule.rule} ({rule.endpoint}): add it to ROW_ARGS "
                "or WORD_ARGS in tests/probe_support.py")
    return values


def own_url(rule, company: Company) -> str:
    """``rule`` filled with the company's own rows."""
    return build_url(rule, url_values(rule, company))


def forms_of_pages(app, client, urls) -> list[tuple[str, str, PageForm]]:
    """One POST form per endpoint found on these pages, with something to type or pick
    (a bare button has nothing to fuzz): (endpoint, address, form)."""
    adapter = app.url_map.bind("ct.test")
    seen, found = set(), []
    for url in urls:
        for form in page_forms(page_text(client, url)):
            if form.method != "post" or not any(
                    n != "csrf_token" for n, _ in form.fields):
                continue
            for target in form.targets:
                try:
                    endpoint, _args = adapter.match(target.split("?")[0], method="POST")
                except Exception:  # noqa: BLE001, S112 - another method, another site
                    continue
                if endpoint not in seen:
                    seen.add(endpoint)
                    found.append((endpoint, target, form))
    return found
