"""Checking every row of a file before anything is written.

Each row is checked on its own (required name, lengths, email, phone, types), then
against the others (the same row twice, the same customer code twice) and against the
database of the bound tenant (customer codes taken, the third party a contact belongs
to). Rows without errors become records ready to insert.

Database look-ups go by chunks of keys taken from the file, so their cost follows the
size of the file, not the size of the tenant. They run under the tenant scoping: a
contact can never be matched to another tenant's third party.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from ct.core.csvio import CsvRow
from ct.core.text import company_key, fold
from ct.extensions import db
from ct.models import Tiers
from ct.models.import_run import KIND_TIERS
from ct.records.importing.checks import ERROR, WARNING, Problem, email_ok, parse_kinds, phone_ok
from ct.records.importing.columns import REQUIRED, ColumnMap

PREVIEW_ROWS = 10
LOOKUP_CHUNK = 1000
PROGRESS_EVERY = 1000


@dataclass
class Checked:
    total: int
    records: list[tuple[int, dict]] = field(default_factory=list)  # rows without errors
    problems: list[Problem] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    warning_rows: set[int] = field(default_factory=set)
    preview: list[dict] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        (self.error_rows if problem.severity == ERROR else self.warning_rows).add(problem.row)


def check_rows(columns: ColumnMap, rows: list[CsvRow],
               progress: Callable[[int], None] | None = None) -> Checked:
    checked = Checked(total=len(rows))
    cleaned = []
    for done, row in enumerate(rows, start=1):
        cleaned.append((row.number, _check_cells(columns, row, checked)))
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
    if columns.kind == KIND_TIERS:
        _check_tiers(columns, cleaned, checked)
    else:
        _check_contacts(columns, cleaned, checked)
    for number, values in cleaned:
        if number not in checked.error_rows:
            checked.records.append((number, values))
    checked.problems.sort(key=lambda p: p.row)
    checked.preview = [_preview(n, values, checked) for n, values in cleaned[:PREVIEW_ROWS]]
    return checked


def _check_cells(columns: ColumnMap, row: CsvRow, checked: Checked) -> dict:
    """The row's values (None when empty), with the problems of each cell on its own."""
    raw = columns.values(row.cells)
    values: dict = {}
    for f in columns.fields:
        value = raw[f.name]
        header = columns.headers[f.name]
        values[f.name] = value or None
        if not value:
            continue
        if f.max_length and len(value) > f.max_length:
            checked.add(Problem(row.number, header, "too_long", {"max": f.max_length}))
        elif f.check == "email" and not email_ok(value):
            checked.add(Problem(row.number, header, "invalid_email", {}))
        elif f.check == "phone" and not phone_ok(value):
            checked.add(Problem(row.number, header, "invalid_phone", {}))
        elif f.check == "kinds":
            kinds, unknown = parse_kinds(value)
            if unknown is not None:
                checked.add(Problem(row.number, header, "unknown_kind", {"value": unknown[:50]}))
            values["kinds"] = sorted(kinds)
    required = [name for name in REQUIRED[columns.kind] if name in columns.positions]
    if not any(values.get(name) for name in required):
        code = "required_name" if columns.kind == KIND_TIERS else "required_person"
        checked.add(Problem(row.number, columns.headers[required[0]], code, {}))
    return values


def _row_key(values: dict) -> tuple:
    # Lower-case is enough to call two rows the same (and far cheaper than fold on 50,000).
    return tuple(str(v).lower() if v else "" for v in values.values())


def _check_tiers(columns: ColumnMap, cleaned: list, checked: Checked) -> None:
    codes = {v["customer_code"] for _, v in cleaned if v.get("customer_code")}
    taken_codes = set(_lookup(Tiers.customer_code, Tiers.customer_code, codes))
    name_keys = [company_key(v.get("name")) for _, v in cleaned]
    known_names = set(_lookup(Tiers.name_key, Tiers.name_key, set(name_keys)))
    seen_rows: dict[tuple, int] = {}
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    header = columns.headers.get
    for (number, values), name_key in zip(cleaned, name_keys, strict=True):
        code, email = values.get("customer_code"), (values.get("email") or "").lower()
        row_key = _row_key(values)
        if row_key in seen_rows:
            checked.add(Problem(number, "", "duplicate_row", {"row": seen_rows[row_key]}))
        elif code and code in seen_codes:
            checked.add(Problem(number, header("customer_code"), "duplicate_code",
                                {"row": seen_codes[code]}))
        elif code in taken_codes:
            checked.add(Problem(number, header("customer_code"), "code_exists", {}))
        if number in checked.error_rows:
            continue
        if values.get("name") and name_key in seen_names:
            checked.add(Problem(number, header("name"), "same_name", {"row": seen_names[name_key]},
                                WARNING))
        elif values.get("name") and name_key in known_names:
            checked.add(Problem(number, header("name"), "name_exists", {}, WARNING))
        if email and email in seen_emails:
            checked.add(Problem(number, header("email"), "same_email", {"row": seen_emails[email]},
                                WARNING))
        # Only rows that will be imported count as "the first one" of a duplicate.
        seen_rows.setdefault(row_key, number)
        if code:
            seen_codes.setdefault(code, number)
        seen_names.setdefault(name_key, number)
        if email:
            seen_emails.setdefault(email, number)


def _check_contacts(columns: ColumnMap, cleaned: list, checked: Checked) -> None:
    codes = {v["tiers_code"] for _, v in cleaned if v.get("tiers_code")}
    by_code = {code: (tid, name) for tid, name, code in _lookup(
        Tiers.customer_code, (Tiers.id, Tiers.name, Tiers.customer_code), codes)}
    names = {company_key(v["tiers"]) for _, v in cleaned if v.get("tiers")}
    by_name: dict[str, list[tuple[int, str]]] = {}
    for tid, name, key in _lookup(Tiers.name_key, (Tiers.id, Tiers.name, Tiers.name_key), names):
        by_name.setdefault(key, []).append((tid, name))
    seen_rows: dict[tuple, int] = {}
    seen_people: dict[tuple, int] = {}
    seen_emails: dict[str, int] = {}
    header = columns.headers.get
    for number, values in cleaned:
        code, tiers_name = values.pop("tiers_code", None), values.pop("tiers", None)
        row_key = _row_key({**values, "tiers": tiers_name, "tiers_code": code})
        values["tiers_id"] = values["tiers_label"] = None
        if code:
            match = by_code.get(code)
            if match is None:
                checked.add(Problem(number, header("tiers_code"), "code_not_found",
                                    {"value": code[:100]}))
            else:
                values["tiers_id"], values["tiers_label"] = match
        elif tiers_name:
            matches = by_name.get(company_key(tiers_name), [])
            if len(matches) > 1:
                # "Dupont" and "Dupont SARL" share a key: the exact name (case and
                # accents aside) designates one of them, as the import page promises.
                exact = [m for m in matches if fold(m[1]) == fold(tiers_name)]
                matches = exact or matches
            if not matches:
                checked.add(Problem(number, header("tiers"), "tiers_not_found",
                                    {"value": tiers_name[:100]}))
            elif len(matches) > 1:
                checked.add(Problem(number, header("tiers"), "tiers_ambiguous", {}))
            else:
                values["tiers_id"], values["tiers_label"] = matches[0]
        if row_key in seen_rows:
            checked.add(Problem(number, "", "duplicate_row", {"row": seen_rows[row_key]}))
        if number in checked.error_rows:
            continue
        person = (fold(values.get("first_name")), fold(values.get("last_name")), values["tiers_id"])
        email = (values.get("email") or "").lower()
        person_header = header("last_name") or header("first_name")
        if person in seen_people:
            checked.add(Problem(number, person_header, "same_name", {"row": seen_people[person]},
                                WARNING))
        if email and email in seen_emails:
            checked.add(Problem(number, header("email"), "same_email", {"row": seen_emails[email]},
                                WARNING))
        seen_rows.setdefault(row_key, number)
        seen_people.setdefault(person, number)
        if email:
            seen_emails.setdefault(email, number)


def _lookup(key_column, columns, keys: Iterable[str]) -> list:
    """Rows of the bound tenant's tiers whose ``key_column`` is one of ``keys``."""
    keys = sorted(keys)
    selected = columns if isinstance(columns, tuple) else (columns,)
    found = []
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start:start + LOOKUP_CHUNK]
        result = db.session.execute(select(*selected).where(key_column.in_(chunk)))
        found.extend(result.all() if len(selected) > 1 else result.scalars().all())
    return found


def _preview(number: int, values: dict, checked: Checked) -> dict:
    status = "error" if number in checked.error_rows else (
        "warning" if number in checked.warning_rows else "ok")
    shown = {k: v for k, v in values.items() if k != "tiers_id"}
    return {"row": number, "status": status, "values": shown}
