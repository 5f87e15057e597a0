"""Every query parameter and every word in a URL, filled by hypothesis: any unicode (NUL,
right-to-left marks, emoji, lone surrogates as raw bytes), 100,000 characters, text
where a number or a date is expected, the same parameter twice, ids too large for the
database. A page never fails with a 5xx, and reading a page never writes.

The parameters are those each view actually reads (recorded while it runs, see
tests/probe_support.py), so a parameter or a page added later is fuzzed too.
"""

from __future__ import annotations

from urllib.parse import quote

import flask
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.probe_support import (
    WORD_ARGS,
    RecordingRequest,
    build_url,
    changed_tables,
    fields_read,
    fingerprint,
    global_rules,
    own_url,
    probing_company,
    tenant_rules,
    url_values,
)
from tests.test_fuzz_forms import values

_FOUND: list = []  # (endpoint, rule, address, parameters read), found once


@pytest.fixture
def company(app, client, auth, tenants):
    own = probing_company(app, tenants.a)
    auth.login(tenants.a.admin_email)
    if not _FOUND:
        app.request_class = RecordingRequest
        try:
            for rule, methods in tenant_rules(app):
                if "GET" in methods:
                    url = own_url(rule, own)
                    names, _response = fields_read(client, "GET", url)
                    _FOUND.append((rule.endpoint, rule, url, names))
        finally:
            app.request_class = flask.Request
    return own, list(_FOUND)


def query(pairs) -> str:
    return "&".join(f"{quote(n)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
                    for n, v in pairs)


@settings(max_examples=2, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_no_page_fails_on_odd_parameters(app, client, company, data):
    """Each example opens every page once with each parameter it reads left out, set to
    an odd value, or sent twice."""
    _own, pages = company
    assert sum(bool(names) for *_rest, names in pages) >= 20
    before = fingerprint(app)
    for endpoint, _rule, url, names in pages:
        if not names:
            continue  # nothing to fuzz: the walks of test_probe_tenants open it
        pairs = []
        for name in names:
            fate = data.draw(st.sampled_from(["drop", "one", "twice"]))
            if fate != "drop":
                pairs.append((name, data.draw(values)))
            if fate == "twice":
                pairs.append((name, data.draw(values)))
        response = client.get(f"{url}?{query(pairs)}")
        assert response.status_code < 500, f"GET {url}?{query(pairs)[:300]} ({endpoint})"
    assert changed_tables(before, fingerprint(app)) == [], "a page that was read wrote"


WORDS = ["\x00", "%00", "é" * 10_000, "\u202e", "😀", "..", "mode\x00", "fr-FR", "EN"]
NUMBERS = [0, 2**31, 2**63, 10**30]


def test_odd_words_and_numbers_in_urls_are_404(app, client, company):
    """A word of a URL (a list, an email, a language) or an id out of range: 404."""
    own, pages = company
    before = fingerprint(app)
    failures = []
    for endpoint, rule, _url, _names in pages:
        for arg in sorted(rule.arguments - {"slug"}):
            for value in WORDS if arg in WORD_ARGS else NUMBERS:
                filled = url_values(rule, own)
                filled[arg] = quote(str(value).encode("utf-8", "surrogatepass"), safe="")
                url = build_url(rule, filled)
                status = client.get(url).status_code
                if status != 404:
                    failures.append(f"GET {url[:120]} ({endpoint}): {status}")
    for rule, methods in global_rules(app):
        if "token" in rule.arguments and "GET" in methods:
            for value in WORDS:
                url = build_url(rule, {"token": quote(value, safe="")})
                if client.get(url).status_code >= 500:
                    failures.append(f"GET {url[:120]}: 5xx")
    assert failures == [], "\n".join(failures)
    assert changed_tables(before, fingerprint(app)) == []
