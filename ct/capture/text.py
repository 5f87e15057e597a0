"""The readable text of an email: HTML turned to text (scripts and styles dropped), the
quoted history and the signature trimmed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is never text to keep.
_DROPPED = {"script", "style", "head", "title", "template", "noscript"}
# Elements that end a line of text.
_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
           "blockquote", "pre", "hr", "section", "article", "header", "footer", "ul", "ol"}


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped = 0  # depth inside a dropped element

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.dropped += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.dropped = max(0, self.dropped - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.dropped:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# The line that introduces the quoted history, in the mail programs' usual wordings.
_QUOTE_HEADER = re.compile(
    r"^\s*(On .{1,200} wrote:|Le .{1,200} a écrit\s?:)\s*$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^-- ?$")


def trimmed(text: str) -> str:
    """``text`` without what follows "On … wrote:" or a "-- " signature line, and without
    its quoted ("> ") lines."""
    kept: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if _SIGNATURE.match(line):
            break
        if _QUOTE_HEADER.match(line):
            break
        # A wrapped "On … wrote:" spread over two lines.
        if index + 1 < len(lines) and _QUOTE_HEADER.match(f"{line} {lines[index + 1]}"):
            break
        if line.startswith(">"):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
