"""The addresses webhooks may be sent to: public ones only, unless the setting allows
the network's own (server-side request forgery: a company must not make ct post to its
database, its metadata service or anything else behind the firewall)."""

from __future__ import annotations

import pytest

from ct.webhooks.targets import RefusedTarget, check_target


@pytest.fixture(autouse=True)
def _in_english(english_messages):
    """The messages as written in the code."""


INSIDE = [
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.9/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
    "http://100.64.0.1/hook",  # shared address space
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",  # IPv4 written inside IPv6
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "http://224.0.0.1/hook",
]


@pytest.mark.parametrize("url", INSIDE)
def test_an_address_inside_the_network_is_refused(app, url):
    with app.app_context(), pytest.raises(RefusedTarget, match="private network"):
        check_target(url)


@pytest.mark.parametrize("url", INSIDE[:3])
def test_the_setting_allows_them(app, monkeypatch, url):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
    with app.app_context():
        assert check_target(url)  # the addresses it resolved to, none refused


@pytest.mark.parametrize("url", ["ftp://example.com/x", "example.com/hook", "https://",
                                 "javascript:alert(1)", "http://:80/"])
def test_only_http_addresses(app, url):
    with app.app_context(), pytest.raises(RefusedTarget, match="https://"):
        check_target(url)


def test_a_host_that_does_not_resolve(app):
    with app.app_context(), pytest.raises(RefusedTarget, match="cannot be found"):
        check_target("https://no-such-host.invalid/hook")


@pytest.mark.parametrize("url, address", [("https://93.184.215.14/hook", "93.184.215.14"),
                                          ("http://[2606:4700::1]:8443/h", "2606:4700::1")])
def test_a_public_address_is_accepted(app, url, address):
    with app.app_context():
        assert check_target(url) == [address]
