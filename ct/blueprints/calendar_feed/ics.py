"""A small iCalendar (RFC 5545) writer: just what a feed of events needs.

Lines end with CRLF and are folded at 75 octets (never inside a UTF-8 character);
text values escape backslashes, semicolons, commas and line breaks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

LINE_OCTETS = 75


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded: continuation lines start with a space."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = LINE_OCTETS if not chunks else LINE_OCTETS - 1  # the leading space counts
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def day_stamp(day: date) -> str:
    return day.strftime("%Y%m%d")


class Calendar:
    def __init__(self, name: str) -> None:
        self._lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ct//agenda feed//EN",
                       "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                       f"X-WR-CALNAME:{escape(name)}",
                       # Clients that honour it check for changes every hour.
                       "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"]

    def add(self, *lines: str) -> None:
        self._lines.extend(lines)

    def text(self, name: str, value: str | None) -> None:
        if value:
            self._lines.append(f"{name}:{escape(value)}")

    def serialize(self) -> str:
        return "".join(fold(line) + "\r\n" for line in [*self._lines, "END:VCALENDAR"])
