"""Reading spreadsheet CSV files (encodings, separators) and writing formula-safe ones."""

import csv
import io
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ct.core.csvio import CsvError, csv_chunks, read_csv, safe_cell, write_csv

FRENCH = "Raison sociale;Ville;Téléphone\r\nÉtablissements Lefèvre;Orléans;01 23 45 67 89\r\n"


def test_utf8_without_bom():
    table = read_csv(b"name,town\nAcme,Paris\n")
    assert (table.header, table.encoding, table.delimiter) == (["name", "town"], "utf-8", ",")
    assert [r.cells for r in table.rows] == [["Acme", "Paris"]]


def test_utf8_with_bom_does_not_leak_into_the_first_header():
    table = read_csv(b"\xef\xbb\xbf" + FRENCH.encode())
    assert table.header[0] == "Raison sociale"
    assert table.encoding == "utf-8-sig"
    assert table.rows[0].cells[0] == "Établissements Lefèvre"


def test_windows_1252_from_french_excel():
    table = read_csv(FRENCH.encode("cp1252"))
    assert table.encoding == "windows-1252"
    assert table.delimiter == ";"
    assert table.header[2] == "Téléphone"
    assert table.rows[0].cells == ["Établissements Lefèvre", "Orléans", "01 23 45 67 89"]


def test_windows_1252_specific_characters():
    # € and œ exist in Windows-1252 but not in Latin-1.
    table = read_csv("nom;note\nBœuf & Cie;10 €\n".encode("cp1252"))
    assert table.rows[0].cells == ["Bœuf & Cie", "10 €"]


def test_unpacks_as_header_and_rows():
    header, rows = read_csv(b"name\nAcme\n")
    assert header == ["name"]
    assert rows[0].cells == ["Acme"]


@pytest.mark.parametrize("raw", [
    "nom;ville\nDupont, Martin et fils;Paris\nLefèvre;Lyon\n".encode(),  # commas inside cells
    b"nom;ville\n\"Dupont; SA\";Paris\n",  # quoted separator
    b"nom;ville;pays\nA;;\n",  # empty cells
])
def test_semicolon_detected(raw):
    assert read_csv(raw).delimiter == ";"


def test_comma_detected_with_semicolons_inside_quoted_cells():
    table = read_csv(b'name,notes\nAcme,"call; then write"\nBeta,x\n')
    assert table.delimiter == ","
    assert table.rows[0].cells == ["Acme", "call; then write"]


def test_single_column_falls_back_to_comma():
    table = read_csv(b"name\nAcme\nBeta\n")
    assert [r.cells for r in table.rows] == [["Acme"], ["Beta"]]


def test_excel_separator_hint_line():
    table = read_csv(b"sep=;\r\nname;town\r\nAcme, Ltd;Paris\r\n")
    assert table.delimiter == ";"
    assert table.header == ["name", "town"]
    assert table.rows[0] == (3, ["Acme, Ltd", "Paris"])


def test_cells_stripped_blank_lines_skipped_numbers_kept():
    table = read_csv(b"name ; town \n  Acme  ; Paris\n\n;;\nBeta;Lyon\n")
    assert table.header == ["name", "town"]
    assert table.rows == [(2, ["Acme", "Paris"]), (5, ["Beta", "Lyon"])]


def test_quoted_newline_counts_as_one_row():
    table = read_csv(b'name,notes\nAcme,"line one\nline two"\nBeta,x\n')
    assert [r.number for r in table.rows] == [2, 3]
    assert table.rows[0].cells[1] == "line one\nline two"


@pytest.mark.parametrize("raw", [b"", b"\xef\xbb\xbf", b"\n\n  \r\n"])
def test_empty_file(raw):
    with pytest.raises(CsvError, match="empty"):
        read_csv(raw)


def test_header_only_gives_no_rows():
    assert read_csv(b"name;town\n").rows == []


def test_empty_header_line():
    with pytest.raises(CsvError, match="first line"):
        read_csv(b";;\nAcme;Paris;x\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused_with_advice(encoding):
    with pytest.raises(CsvError, match="UTF-16"):
        read_csv("name;town\nAcme;Paris\n".encode(encoding))


def test_random_bytes_are_refused_never_crash():
    for seed in range(20):
        raw = os.urandom(2000 + seed)
        with pytest.raises(CsvError):
            read_csv(raw)


def test_binary_with_control_characters_is_refused():
    with pytest.raises(CsvError, match="neither UTF-8 nor Windows-1252"):
        read_csv(b"name\x01\x02;town\nA;B\n")


def test_bytes_undefined_in_windows_1252_are_refused():
    with pytest.raises(CsvError):
        read_csv(b"name\nA\x81B\n")


def test_spreadsheet_workbook_is_refused_with_advice():
    with pytest.raises(CsvError, match="xlsx"):
        read_csv(b"PK\x03\x04\x14\x00\x06\x00rest of a zip")


def test_malformed_line_is_a_clear_error():
    huge = b"name\n\"" + b"x" * (csv.field_size_limit() + 10) + b"\"\n"
    with pytest.raises(CsvError, match="Line"):
        read_csv(huge)


# --- writing ------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@foo", "\tTAB", "\rCR", "=HYPERLINK(\"x\")",
])
def test_formula_cells_are_neutralised(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(("value", "expected"), [
    ("Acme", "Acme"), ("a=b", "a=b"), ("", ""), (None, ""), (-5, "-5"), (1.5, "1.5"),
    (True, "1"), ("'quoted", "'quoted"),
])
def test_plain_cells_are_untouched(value, expected):
    assert safe_cell(value) == expected


def test_write_csv_utf8_bom_and_safe_cells():
    raw = write_csv(["Nom", "=Ville"], [["Éric", "=1+1"], ["@x", None]])
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig") == "Nom,'=Ville\r\nÉric,'=1+1\r\n'@x,\r\n"


def test_write_csv_semicolon_for_french_spreadsheets():
    raw = write_csv(["a", "b"], [["1,5", "x;y"]], semicolon=True)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["a", "b"], ["1,5", "x;y"]]


def test_csv_chunks_streams_one_row_at_a_time():
    chunks = list(csv_chunks(["a"], iter([["1"], ["2"]])))
    assert chunks == [b"\xef\xbb\xbfa\r\n", b"1\r\n", b"2\r\n"]


_cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30
).map(str.strip).filter(lambda s: not s.startswith("'"))


@given(st.lists(st.lists(_cell, min_size=2, max_size=2), min_size=1, max_size=5),
       st.booleans())
def test_an_export_reads_back_unchanged(rows, semicolon):
    rows = [r for r in rows if any(r)] or [["x", "y"]]
    table = read_csv(write_csv(["first", "second"], rows, semicolon=semicolon))
    assert table.header == ["first", "second"]
    assert [r.cells for r in table.rows] == rows
