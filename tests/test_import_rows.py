"""Column mapping and row checks of the CSV import, below the web pages."""

import pytest

from ct.core.csvio import read_csv
from ct.core.tenancy import bound_tenant
from ct.records.importing.columns import HeaderError, map_columns
from ct.records.importing.rows import check_rows
from tests.test_import_support import add_tiers, csv_bytes

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")


def check(app, tenant_id, kind, header, rows):
    table = read_csv(csv_bytes(header, rows))
    with app.app_context(), bound_tenant(tenant_id):
        columns = map_columns(kind, table.header)
        return columns, check_rows(columns, table.rows)


def problems(checked):
    return [(p.row, p.column, p.code, p.severity) for p in checked.problems]


# --- columns ---------------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    ["Nom", "Code client", "Courriel", "Téléphone", "Ville", "Code postal", "Pays", "Adresse",
     "Site web", "Type"],
    ["name", "customer code", "e-mail", "phone", "town", "postcode", "country", "street",
     "website", "type"],
    ["RAISON SOCIALE", "Code_Client", "E-Mail", "TEL", "City", "CP", "Country", "Address", "URL",
     "Types"],
])
def test_tiers_headers_in_french_and_english(app, header):
    columns = map_columns("tiers", header)
    assert set(columns.positions) == {
        "name", "customer_code", "email", "phone", "town", "postcode", "country", "street",
        "website", "kinds"}
    assert columns.ignored == []


def test_contact_headers_in_french_and_english():
    fr = map_columns("contacts", ["Prénom", "Nom", "Fonction", "Email", "Téléphone", "Portable",
                                  "Société", "Code client"])
    en = map_columns("contacts", ["First name", "Last name", "Job title", "E-mail", "Phone",
                                  "Mobile", "Company", "Customer code"])
    expected = {"first_name", "last_name", "job_title", "email", "phone", "mobile", "tiers",
                "tiers_code"}
    assert set(fr.positions) == set(en.positions) == expected


def test_unknown_columns_are_ignored_and_listed():
    columns = map_columns("tiers", ["Nom", "Chiffre d'affaires", "", "Commercial"])
    assert columns.positions == {"name": 0}
    assert columns.ignored == ["Chiffre d'affaires", "Commercial"]


@pytest.mark.parametrize(("kind", "header"), [
    ("tiers", ["Ville", "Email"]),
    ("contacts", ["Email", "Société"]),
])
def test_missing_name_column_is_a_clear_error(kind, header):
    with pytest.raises(HeaderError, match="no column for the name"):
        map_columns(kind, header)


def test_contacts_need_only_one_of_first_or_last_name():
    assert map_columns("contacts", ["Prénom"]).positions == {"first_name": 0}


def test_two_columns_for_the_same_field():
    with pytest.raises(HeaderError, match="“Email” and “Courriel”"):
        map_columns("tiers", ["Nom", "Email", "Courriel"])


# --- cells -----------------------------------------------------------------------------

def test_tiers_cell_checks(app, tenants):
    _, checked = check(app, tenants.a.id, "tiers", ["Nom", "Email", "Téléphone", "Type", "Ville"], [
        ["Acme", "contact@acme.fr", "+33 1 23 45 67 89", "client, prospect", "Paris"],
        ["", "x@y.fr", "", "", ""],
        ["N" * 201, "", "", "", ""],
        ["Bad mail", "not-an-email", "", "", ""],
        ["Bad phone", "", "call me", "", ""],
        ["Short phone", "", "12 34", "", ""],
        ["Bad type", "", "", "client|partenaire", ""],
        ["Long town", "", "", "", "T" * 10_000],
    ])
    assert problems(checked) == [
        (3, "Nom", "required_name", "error"),
        (4, "Nom", "too_long", "error"),
        (5, "Email", "invalid_email", "error"),
        (6, "Téléphone", "invalid_phone", "error"),
        (7, "Téléphone", "invalid_phone", "error"),
        (8, "Type", "unknown_kind", "error"),
        (9, "Ville", "too_long", "error"),
    ]
    assert checked.problems[-1].message == "Too long: at most 120 characters."
    assert "“partenaire”" in checked.problems[5].message
    assert [n for n, _ in checked.records] == [2]
    values = checked.records[0][1]
    assert values["kinds"] == ["customer", "prospect"]
    assert values["email"] == "contact@acme.fr"


@pytest.mark.parametrize(("cell", "kinds"), [
    ("Client", ["customer"]), ("fournisseur | prospect", ["prospect", "supplier"]),
    ("Customers, Suppliers", ["customer", "supplier"]), ("", None),
])
def test_kinds_in_either_language(app, tenants, cell, kinds):
    _, checked = check(app, tenants.a.id, "tiers", ["Nom", "Type"], [["Acme", cell]])
    assert checked.problems == []
    assert checked.records[0][1]["kinds"] == kinds


def test_formula_and_html_cells_are_kept_exactly_as_typed(app, tenants):
    typed = ["=cmd|' /C calc'!A0", "+SUM(1)", "@foo", "<script>alert(1)</script>"]
    _, checked = check(app, tenants.a.id, "tiers", ["Nom"], [[v] for v in typed])
    assert checked.problems == []
    assert [v["name"] for _, v in checked.records] == typed


def test_contact_needs_a_first_or_last_name(app, tenants):
    _, checked = check(app, tenants.a.id, "contacts", ["Prénom", "Nom", "Email"], [
        ["Jeanne", "", ""], ["", "Martin", ""], ["", "", "x@y.fr"],
    ])
    assert problems(checked) == [(4, "Prénom", "required_person", "error")]


# --- duplicates --------------------------------------------------------------------------

def test_duplicated_rows_and_codes_in_the_file(app, tenants):
    _, checked = check(app, tenants.a.id, "tiers", ["Nom", "Code client", "Email"], [
        ["Acme", "C1", "a@acme.fr"],
        ["ACME", "C1", "A@ACME.FR"],  # the same row, typed in capitals
        ["Other", "C1", ""],  # the code is taken by row 2
        ["Acme SARL", "C2", ""],  # same name once the legal form is ignored
        ["Beta", "C3", "a@acme.fr"],  # same email
    ])
    assert problems(checked) == [
        (3, "", "duplicate_row", "error"),
        (4, "Code client", "duplicate_code", "error"),
        (5, "Nom", "same_name", "warning"),
        (6, "Email", "same_email", "warning"),
    ]
    assert checked.problems[0].message == "Same row as row 2."
    assert [n for n, _ in checked.records] == [2, 5, 6]


def test_rows_against_the_tenants_database(app, tenants):
    add_tiers(app, tenants.a.id, ("Dupont SARL", "C1"))
    add_tiers(app, tenants.b.id, ("Zeta", "Z1"))
    _, checked = check(app, tenants.a.id, "tiers", ["Nom", "Code client"], [
        ["Dupont", "NEW"],  # the name exists: a warning
        ["Other", "C1"],  # the code exists: an error
        ["Zeta", "Z1"],  # tenant b's name and code are unknown here
    ])
    assert problems(checked) == [
        (2, "Nom", "name_exists", "warning"),
        (3, "Code client", "code_exists", "error"),
    ]


def test_duplicated_contacts(app, tenants):
    _, checked = check(app, tenants.a.id, "contacts", ["Prénom", "Nom", "Email"], [
        ["Jeanne", "Martin", "j@m.fr"],
        ["Jeanne", "Martin", "j@m.fr"],
        ["Jeanne", "MARTIN", ""],
        ["Paul", "Durand", "j@m.fr"],
    ])
    assert problems(checked) == [
        (3, "", "duplicate_row", "error"),
        (4, "Nom", "same_name", "warning"),
        (5, "Email", "same_email", "warning"),
    ]


# --- contacts and their third party ------------------------------------------------------

def test_contacts_matched_to_tiers_by_code_or_folded_name(app, tenants):
    ids = add_tiers(app, tenants.a.id, ("Établissements Lefèvre SAS", "C1"),
                    ("Dupont SARL", "D1"), ("Dupont SA", "D2"))
    add_tiers(app, tenants.b.id, ("Zeta Industrie", "Z1"))
    _, checked = check(app, tenants.a.id, "contacts", ["Prénom", "Nom", "Société", "Code client"], [
        ["A", "Un", "etablissements lefevre", ""],  # accents, case and legal form ignored
        ["B", "Deux", "", "D2"],
        ["C", "Trois", "Dupont", ""],  # two tiers are called Dupont
        ["D", "Quatre", "Dupont", "D1"],  # the code decides
        ["E", "Cinq", "Inconnue", ""],
        ["F", "Six", "", "NOPE"],
        ["G", "Sept", "Zeta Industrie", ""],  # tenant b's third party: never found
        ["H", "Huit", "", "Z1"],
        ["I", "Neuf", "", ""],  # no third party: allowed
    ])
    assert problems(checked) == [
        (4, "Société", "tiers_ambiguous", "error"),
        (6, "Société", "tiers_not_found", "error"),
        (7, "Code client", "code_not_found", "error"),
        (8, "Société", "tiers_not_found", "error"),
        (9, "Code client", "code_not_found", "error"),
    ]
    assert checked.problems[0].message == (
        "Several third parties have this name, use the customer code.")
    linked = {v["last_name"]: v["tiers_id"] for _, v in checked.records}
    assert linked == {"Un": ids["Établissements Lefèvre SAS"], "Deux": ids["Dupont SA"],
                      "Quatre": ids["Dupont SARL"], "Neuf": None}


def test_preview_holds_the_first_ten_rows_with_their_status(app, tenants):
    rows = [[f"Name {i}", "bad" if i == 3 else ""] for i in range(15)]
    _, checked = check(app, tenants.a.id, "tiers", ["Nom", "Email"], rows)
    assert [p["row"] for p in checked.preview] == list(range(2, 12))
    assert checked.preview[3]["status"] == "error"
    assert checked.preview[0] == {"row": 2, "status": "ok",
                                  "values": {"name": "Name 0", "email": None}}
