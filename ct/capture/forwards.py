"""A forwarded email: who sent the original, found in the block the mail program wrote.

Gmail writes "---------- Forwarded message ---------" then "From: Name <address>";
Thunderbird "-------- Forwarded Message --------" / "-------- Message transféré --------"
then "From:" / "De :" lines; Outlook no separator line but a header block "From: … /
Sent: …" (French "De : … / Envoyé : …"), often after a rule of underscores. The first
such block after the member's own words names the original sender.
"""

from __future__ import annotations

import re
from email.utils import getaddresses

_SUBJECT = re.compile(r"^\s*(fwd?|tr|wg)\s*:", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(forwarded message|original message|message transféré|message d'origine"
    r"|message original)\s*-{2,}\s*$", re.IGNORECASE)
_FROM = re.compile(r"^\s*\*?(from|de)\s?:\*?\s*(?P<value>.+)$", re.IGNORECASE)
# The line after "From:" in Outlook's block.
_SENT = re.compile(r"^\s*\*?(sent|envoyé|date)\s?:", re.IGNORECASE)
# Outlook writes the address as "Name [mailto:address]" in its plain text part.
_MAILTO = re.compile(r"\[mailto:([^\]]+)\]", re.IGNORECASE)


def is_forward(subject: str, body: str) -> bool:
    return bool(_SUBJECT.match(subject or "")) or original_sender(body) is not None


def original_sender(body: str) -> tuple[str, str] | None:
    """(name, address) of the forwarded message's sender, or None when no block."""
    lines = body.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if _SEPARATOR.match(line):
            found = _from_in(lines[index + 1:index + 8])
            if found:
                return found
        match = _FROM.match(line)
        if match and index + 1 < len(lines) and _SENT.match(_next_filled(lines, index)):
            found = _address(match.group("value"))
            if found:
                return found
    return None


def _next_filled(lines: list[str], index: int) -> str:
    for line in lines[index + 1:index + 3]:
        if line.strip():
            return line
    return ""


def _from_in(lines: list[str]) -> tuple[str, str] | None:
    for line in lines:
        match = _FROM.match(line)
        if match:
            return _address(match.group("value"))
    return None


def _address(value: str) -> tuple[str, str] | None:
    value = _MAILTO.sub(r"<\1>", value.strip())
    [(name, address)] = getaddresses([value])[:1] or [("", "")]
    if "@" not in address:
        return None
    return name.strip(' "'), address.strip().lower()


def without_prefix(subject: str) -> str:
    """The subject as the original had it: "Fwd: Offre" is "Offre"."""
    while _SUBJECT.match(subject):
        subject = _SUBJECT.sub("", subject, count=1).strip()
    return subject
