"""Files for the attachment tests: real ones of each kind, made small, and the
storage's folder of a company."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
       b"%%EOF\n")
EXE = b"MZ" + b"\x90\x00" * 30 + b"PE\x00\x00" + b"\x00" * 64


def png(width: int = 1, height: int = 1) -> bytes:
    """A real PNG image (one white pixel by default)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def zip_bomb(expanded_mb: int = 200) -> bytes:
    """A small ZIP archive (about 0.1 % of it) holding ``expanded_mb`` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("zeros.bin", "w", force_zip64=True) as inner:
            block = b"\x00" * (1024 * 1024)
            for _ in range(expanded_mb):
                inner.write(block)
    return out.getvalue()


def stored_files(app, tenant_id: int) -> list[Path]:
    """The files the local storage keeps for a company."""
    folder = Path(app.config["ATTACHMENT_DIR"]) / str(tenant_id)
    return sorted(folder.iterdir()) if folder.exists() else []
