"""Every form of the app, filled by hypothesis: any unicode (NUL, right-to-left marks,
emoji, lone surrogates sent as the raw bytes a client can send), 100,000 characters, text
in number, date and list fields, fields left out or sent twice. Never a 5xx; when the
answer refuses the input, nothing was written.

The forms are found on the pages themselves (every GET page of a populated company,
and the public pages), so a form added later is fuzzed too.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.probe_support import (
    baseline,
    changed_tables,
    fingerprint,
    forms_of_pages,
    own_url,
    probing_company,
    refused,
    tenant_rules,
)

# Fields whose value is picked, not typed: hypothesis sends them junk; the loop of the
# worst values sticks to the typed ones.
CHOSEN = ("select", "select-multiple", "checkbox", "radio", "hidden", "submit")
# Logging out would end the session of every example after it; a delete button has
# nothing to type (its "next" address is fuzzed on the other forms).
NOT_FUZZED = {"auth.logout"}
NOT_FUZZED_WORDS = ("delete", "remove", "cancel")

SPECIALS = [
    "\x00", "a\x00b", "\u202eevil\u202c", "\u200f\u05e9\u05dc\u05d5\u05dd", "😀" * 20,
    "\ud800", "x\udfffy", "\ufeff", "<script>alert(1)</script>", "' OR 1=1 --", " ",
    "-1", "0", "1.5", "1e309", "NaN", "99999999999999999999999", "２０２６-０１-０１",
    "2026-02-30", "9999-12-31T25:61", "0000-00-00", "٣", "on", "None", "[]", "{}",
    "%00", "../../etc/passwd", "\r\n\r\n", "\t",
]
HUGE = "é" * 100_000

values = st.one_of(
    st.sampled_from(SPECIALS),
    # Any code point, surrogates included: they travel as the bytes a client may send.
    st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
    st.just(HUGE),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
# What becomes of each field: kept as a person filled it, left out, replaced, sent twice.
fates = st.sampled_from(["keep", "keep", "drop", "replace", "replace", "twice"])


def encode(pairs) -> bytes:
    """A form body as a client may send it: lone surrogates become the (invalid) bytes
    of their UTF-8-like encoding, as a careless client would produce them."""
    return "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
        for name, value in pairs
    ).encode("ascii")


_FOUND: list = []  # the forms, found once: every test rebuilds the company with the same ids


@pytest.fixture
def company(app, client, auth, tenants):
    own = probing_company(app, tenants.a)
    auth.login(tenants.a.admin_email)
    if not _FOUND:
        pages = [own_url(rule, own) for rule, methods in tenant_rules(app) if "GET" in methods]
        pages += ["/account", "/workspaces", "/signup", "/password/forgot"]
        _FOUND.extend(f for f in forms_of_pages(app, client, pages) if f[0] not in NOT_FUZZED
                      and not any(word in f[0] for word in NOT_FUZZED_WORDS))
    return own, list(_FOUND)


def _unchanged_if_refused(app, client, response, before, where):
    """Check the answer; the database as it now is (the next request's "before")."""
    assert response.status_code < 500, where
    after = fingerprint(app)
    if refused(client, response):
        assert changed_tables(before, after) == [], f"{where}: refused, yet wrote"
    return after


def _fuzzed(draw, form) -> list[tuple[str, str]]:
    sent = []
    for name, value in baseline(form):
        fate = draw(fates)
        if fate == "keep":
            sent.append((name, value))
        elif fate == "replace":
            sent.append((name, draw(values)))
        elif fate == "twice":
            sent += [(name, draw(values)), (name, value)]
    return sent


# No shrinking: the examples share the database, and the failure names the request sent.
@settings(max_examples=3, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_no_form_fails_or_writes_on_bad_input(app, client, company, data):
    """Each example sends every form once, each field kept, dropped, replaced or doubled.
    (The company is shared by the examples: a valid example may save rows, which is fine;
    a refused one must leave every table as it was.)"""
    _own, forms = company
    assert len(forms) >= 20, [f[1] for f in forms]
    before = fingerprint(app)
    for endpoint, url, form in forms:
        sent = _fuzzed(data.draw, form)
        response = client.post(url, data=encode(sent),
                               content_type="application/x-www-form-urlencoded")
        where = f"POST {url} ({endpoint}) with {[(n, v[:60]) for n, v in sent]}"
        before = _unchanged_if_refused(app, client, response, before, where)


def test_every_typed_field_refuses_a_nul_byte(app, client, company):
    """PostgreSQL refuses NUL in text: each typed field of every form meets one, the rest
    of the form filled in as a person would (hypothesis draws the combinations; this
    makes sure no field is missed). A clear error, never a 500, nothing written."""
    _own, forms = company
    failures = []
    for endpoint, url, form in forms:
        sent = baseline(form)
        before = fingerprint(app)
        for index, (name, _value) in enumerate(sent):
            if name == "csrf_token" or form.kinds.get(name) in CHOSEN:
                continue
            forged = sent[:index] + [(name, "a\x00b")] + sent[index + 1:]
            response = client.post(url, data=encode(forged),
                                   content_type="application/x-www-form-urlencoded")
            where = f"POST {url} ({endpoint}) with {name}='a\\x00b'"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code}")
            elif not refused(client, response):
                before = fingerprint(app)  # ignored (a search box): the form was saved
        if changed_tables(before, fingerprint(app)):
            failures.append(f"POST {url} ({endpoint}): a refused NUL wrote")
    assert failures == [], "\n".join(failures)
