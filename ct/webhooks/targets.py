"""Which addresses a webhook may be sent to: not inside the network ct runs in.

An endpoint's host is resolved and every address it resolves to must be a public one:
loopback, private, link-local (cloud metadata services live there), shared, reserved and
multicast addresses are refused, IPv4 written inside IPv6 included. The check runs when
an admin saves the endpoint and again before every attempt (a name can be made to
resolve elsewhere later). Redirects are never followed. The setting
WEBHOOK_ALLOW_PRIVATE_TARGETS lifts the refusal, for a receiver on the same network on
purpose (and for the tests' local receiver).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l


class RefusedTarget(Exception):
    """Why an address is not one to send webhooks to (a message for the admin)."""


def _address_is_public(text: str) -> bool:
    address = ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 zone is no part of it
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_target(url: str) -> list[str]:
    """The addresses ``url``'s host resolves to; RefusedTarget unless it is an http(s)
    address ct may post to."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RefusedTarget(_l("Enter a full address starting with https://."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError):
        raise RefusedTarget(_l("This address's host cannot be found.")) from None
    addresses = sorted({info[4][0] for info in found})
    if current_app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"]:
        return addresses
    if not all(_address_is_public(address) for address in addresses):
        raise RefusedTarget(_l(
            "This address points inside a private network (loopback, private or "
            "link-local address): webhooks are only sent to public addresses."))
    return addresses
