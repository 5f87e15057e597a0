"""What a file is, read from its content, and which names are refused (no database)."""

from __future__ import annotations

import io
import zipfile

import pytest

from ct.attachments.inspect import MISMATCH, PROGRAM, clean_name, judge
from tests.attachment_support import EXE, PDF, png, zip_bomb


def docx_without_its_usual_first_part() -> bytes:
    """A Word document whose first entry is not the one the signatures look for."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("docProps/app.xml", "<Properties/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("devis.pdf", PDF, ("application/pdf", None)),
    ("scan", PDF, ("application/pdf", None)),  # no extension: the content says
    ("photo.jpg", png(), ("image/png", None)),  # a picture named as another: relabelled
    ("notes.txt", "Réunion à 14 h".encode(), ("text/plain", None)),
    ("ancien.txt", "Réunion à 14 h".encode("cp1252"), ("text/plain", None)),
    ("page.html", b"<script>alert(1)</script>", ("text/plain", None)),
    ("mesures.dat", bytes(range(256)) * 4, ("application/octet-stream", None)),
    ("rapport.docx", docx_without_its_usual_first_part(),
     ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", None)),
    ("archive.zip", zip_bomb(5), ("application/zip", None)),
    ("devis.pdf", zip_bomb(5), ("application/zip", MISMATCH)),
    ("devis.pdf", b"just text", ("text/plain", MISMATCH)),
    ("image.png", PDF, ("application/pdf", MISMATCH)),
    ("setup.exe", EXE, ("application/x-msdownload", PROGRAM)),
    ("lisez-moi.txt", EXE, ("application/x-msdownload", PROGRAM)),  # by its content
    ("facture.pdf.vbs", b"MsgBox 1", ("text/plain", PROGRAM)),  # by its name
])
def test_the_content_decides(name, content, expected):
    verdict = judge(name, content[:8192])
    assert (verdict.content_type, verdict.refusal) == expected


def test_a_mismatch_names_what_the_name_claims():
    assert judge("devis.pdf", zip_bomb(1)).claimed == "PDF"


@pytest.mark.parametrize(("given", "shown"), [
    ("C:\\Users\\moi\\Devis 12.pdf", "Devis 12.pdf"),
    ("../../etc/passwd", "passwd"),
    ("fac\x00ture\r\n.pdf", "facture.pdf"),
    ("", "file"),
    ("...", "file"),
    (None, "file"),
    ("é" * 300 + ".pdf", "é" * 196 + ".pdf"),  # 200 characters, its extension kept
])
def test_names_are_cleaned_for_showing(given, shown):
    assert clean_name(given) == shown
