"""Reading the CSV files people export from their spreadsheets, and writing safe ones.

Reading: the encoding (UTF-8 with or without BOM, else Windows-1252, what Excel saves
on a French Windows) and the separator (comma, or semicolon where the decimal mark is
a comma) are detected; cells are stripped; blank lines are skipped but every row keeps
its number in the spreadsheet, so error reports point at the right line. The apostrophe
the writer adds before a formula character is taken off again: an export imports back.

Writing: every text cell that a spreadsheet would run as a formula (=, +, -, @, tab,
carriage return first) gets a leading apostrophe, and the file is UTF-8 with a BOM so
Excel shows accents right.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l

UTF8_BOM = b"\xef\xbb\xbf"
DELIMITERS = (",", ";", "\t")
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = "".join(FORMULA_PREFIXES)
# Control characters never found in a text file: their presence means binary data.
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\x7f"}
_SNIFF_SAMPLE = 32 * 1024
_SEP_HINT = re.compile(r"\Asep=([,;\t])[ \t]*\r?\n")


class CsvError(ValueError):
    """A file that cannot be read as a CSV table; ``message`` is shown to the user."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class CsvRow(NamedTuple):
    number: int  # the row number a spreadsheet shows (the header is row 1)
    cells: list[str]


@dataclass
class CsvTable:
    header: list[str]
    rows: list[CsvRow] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","

    def __iter__(self) -> Iterator:
        # ``header, rows = read_csv(raw)``
        return iter((self.header, self.rows))


def read_csv(raw: bytes) -> CsvTable:
    """Decode and parse an uploaded CSV file; raises CsvError with a clear message."""
    text, encoding = decode(raw)
    if not text.strip():
        raise CsvError(_l("The file is empty."))
    first_number = 1
    hint = _SEP_HINT.match(text)
    if hint:
        # Excel's "sep=;" first line names the separator; the header comes after it.
        delimiter, text, first_number = hint.group(1), text[hint.end():], 2
    else:
        delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_clean(cell) for cell in next(reader, [])]
        rows = []
        for number, cells in enumerate(reader, start=first_number + 1):
            cells = [_clean(cell) for cell in cells]
            if any(cells):
                rows.append(CsvRow(number, cells))
    except csv.Error as error:
        raise CsvError(
            _l("Line %(line)d cannot be read: %(error)s", line=reader.line_num, error=str(error))
        ) from error
    if not any(header):
        raise CsvError(_l("The first line must hold the column names; it is empty."))
    return CsvTable(header, rows, encoding, delimiter)


def _clean(cell: str) -> str:
    """Stripped, and without the apostrophe an export put before a formula character
    (see safe_cell), so that a file exported by ct imports back unchanged."""
    cell = cell.strip()
    if cell.startswith("'") and cell[1:2] and cell[1] in _FORMULA_CHARS:
        return cell[1:]
    return cell


def decode(raw: bytes) -> tuple[str, str]:
    """The text of the file and the encoding it was read with."""
    if raw.startswith(UTF8_BOM):
        try:
            text, encoding = raw[len(UTF8_BOM):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise CsvError(_not_text()) from None
    elif _looks_like_utf16(raw):
        raise CsvError(_l(
            "This file is in UTF-16 (\"Unicode text\"), which cannot be read. In your "
            "spreadsheet, save it as \"CSV UTF-8\" or \"CSV (semicolon separated)\"."
        ))
    elif raw.startswith(b"PK\x03\x04"):
        raise CsvError(_l(
            "This is a spreadsheet workbook (.xlsx or .ods), not a CSV file. In your "
            "spreadsheet, save it as \"CSV UTF-8\" or \"CSV (semicolon separated)\"."
        ))
    else:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = raw.decode("cp1252"), "windows-1252"
            except UnicodeDecodeError:
                raise CsvError(_not_text()) from None
    if _CONTROL.intersection(text):
        raise CsvError(_not_text())
    return text, encoding


def _looks_like_utf16(raw: bytes) -> bool:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    # Without a BOM, UTF-16 text has a zero byte in every other position.
    head = raw[:4096]
    half = len(head) // 2
    return half >= 2 and max(head[0::2].count(0), head[1::2].count(0)) >= half * 0.4


def _not_text():
    return _l(
        "This file is neither UTF-8 nor Windows-1252 text. Save it as \"CSV UTF-8\" "
        "from your spreadsheet and try again."
    )


def detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab, as csv.Sniffer sees it on the first lines; when the
    sniffer cannot tell (one column, irregular rows), the most frequent in the header."""
    sample = text[:_SNIFF_SAMPLE]
    if len(text) > _SNIFF_SAMPLE and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    first_line = sample.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in counts and counts[sniffed] > 0:
        return sniffed
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


# --- Writing -------------------------------------------------------------------------


def safe_cell(value: Any) -> str:
    """A cell value a spreadsheet will show as text, never run as a formula.

    Numbers stay numbers (a negative amount is not an attack); any text starting with
    a formula character gets a leading apostrophe, which spreadsheets hide.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_chunks(
    header: Iterable, rows: Iterable[Iterable], semicolon: bool = False
) -> Iterator[bytes]:
    """The file as UTF-8 (with BOM) byte chunks, one per row: stream it for big exports."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if semicolon else ",", lineterminator="\r\n")

    def line(cells: Iterable) -> bytes:
        writer.writerow([safe_cell(c) for c in cells])
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return data.encode("utf-8")

    yield UTF8_BOM + line(header)
    for row in rows:
        yield line(row)


def write_csv(header: Iterable, rows: Iterable[Iterable], semicolon: bool = False) -> bytes:
    """The whole file at once (small exports, reports)."""
    return b"".join(csv_chunks(header, rows, semicolon))


DELIMITER_NAMES = {",": _l("comma"), ";": _l("semicolon"), "\t": _l("tab")}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": _l("UTF-8 with BOM"),
    "windows-1252": "Windows-1252",
}
