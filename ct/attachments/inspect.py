"""What a file is, read from its first bytes, and whether it may be kept.

The type is read from the content (the ``filetype`` package's signatures, then "is it
text?"), never taken from the name or from what the browser said. A file whose name
claims a type its content is not (an archive named ``quote.pdf``) is refused: it is how
a zip bomb or a program passes itself off as a document (a picture named as another
picture format is only relabelled). Nothing is ever unpacked, so an
archive costs its own size, whatever it would expand to. Programs are refused outright.
"""

from __future__ import annotations

import mimetypes
import unicodedata
from dataclasses import dataclass

import filetype

from ct.models.attachment import FILENAME_MAX

HEAD = 8192  # what the signatures need (OOXML names its parts near the start)
OCTET_STREAM = "application/octet-stream"
TEXT = "text/plain"
ZIP = "application/zip"
# Types the signatures recognise: a name claiming one of them must match the content.
RECOGNISED = {kind.mime for kind in filetype.types} - {OCTET_STREAM}
# Documents that are ZIP archives inside: some writers' files show as a plain archive.
ZIP_CONTAINERS = {mime for mime in RECOGNISED if "openxmlformats" in mime
                  or "opendocument" in mime or mime == "application/epub+zip"}
SAME = {"image/jpg": "image/jpeg", "application/x-zip-compressed": ZIP,
        "audio/wav": "audio/x-wav", "audio/x-mpeg": "audio/mpeg"}
PROGRAMS = {"application/x-executable", "application/x-msdownload",
            "application/x-mach-binary", "application/x-dex", "application/x-elf",
            "application/vnd.microsoft.portable-executable"}
MEDIA = {"image", "audio", "video"}  # one picture format named as another is harmless
# Scripts and installers are text or archives to the signatures: refused by their name.
PROGRAM_EXTENSIONS = {"exe", "msi", "com", "scr", "bat", "cmd", "ps1", "vbs", "vbe", "js",
                      "jse", "wsf", "hta", "jar", "apk", "app", "sh", "dll", "cpl", "lnk"}


PROGRAM, MISMATCH = "program", "mismatch"  # why a file is refused


@dataclass
class Verdict:
    content_type: str
    refusal: str | None = None  # PROGRAM or MISMATCH
    claimed: str = ""  # for MISMATCH: the type the name claims, as its label ("PDF")


def clean_name(name: str | None) -> str:
    """The name to show: no folders (browsers of old sent a path), no control
    characters, not empty, not too long (the extension kept)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        return "file"
    if len(name) > FILENAME_MAX:
        stem, dot, extension = name.rpartition(".")
        keep = extension[:20] if dot else ""
        name = (stem if dot else name)[:FILENAME_MAX - len(keep) - 1].rstrip() + \
            ("." + keep if keep else "")
    return name


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not only a character cut at the end of the head
            try:
                head.decode("cp1252")  # Windows-1252 text from an older program
            except UnicodeDecodeError:
                return False
    return True


def sniffed(head: bytes) -> str:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    return TEXT if head and _is_text(head) else OCTET_STREAM


def _claimed(name: str) -> str | None:
    mime = mimetypes.guess_type(name, strict=False)[0]
    return SAME.get(mime, mime)


def judge(name: str, head: bytes) -> Verdict:
    """The type the content shows and, when the file may not be kept, why."""
    actual = sniffed(head)
    claimed = _claimed(name)
    if actual in PROGRAMS or _extension(name) in PROGRAM_EXTENSIONS:
        return Verdict(actual, PROGRAM)
    if claimed in RECOGNISED and claimed != actual:
        if claimed in ZIP_CONTAINERS and actual == ZIP:
            return Verdict(claimed)  # a document written by a less usual program
        if _family(claimed) == _family(actual) in MEDIA:
            return Verdict(actual)  # a PNG named .jpg is still a picture: kept as a PNG
        return Verdict(actual, MISMATCH, label(claimed))
    return Verdict(actual)


def _family(mime: str) -> str:
    return mime.partition("/")[0]


def label(mime: str) -> str:
    """A type as people name it: its usual extension ("PDF", "ZIP"); "" when unknown."""
    kind = next((k for k in filetype.types if k.mime == mime), None)
    return kind.extension.upper() if kind else ""
