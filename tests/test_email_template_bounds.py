"""A tenant's template can never hold a web worker: the preview of the attacks that once
stalled one answers within a second with a clear message, and hypothesis throws random
templates built from Jinja's pieces at the editor; a stored template past its bounds
falls back to the default wording when an email is queued."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ct.emails.templates import sandbox
from tests.test_email_templates import GOOD, MAILINFO, invitation_with_stored_template, url

pytestmark = pytest.mark.usefixtures("english")

ATTACKS = [
    ("{{ ((((9 ** 64) ** 64) ** 64) ** 64) % 7 }}", "The number is too large."),
    ("{% macro f(d) %}{% for c in '0123456789' %}{% if d %}{{ f(d-1) }}{% endif %}"
     "{% endfor %}{% endmacro %}{{ f(5) }}", "Loops and macros are not available"),
    ("{% macro f(d) %}{{ f(d) }}{% endmacro %}{{ f(1) }}", "Loops and macros are not"),
    ("{{ tiers|center(100000000) }}", "A width or length over 1000 is not allowed."),
    ("{{ comment|indent(100000000) }}", "A width or length over 1000 is not allowed."),
    ("{{ '%0100000000d'|format(1) }}", "A width or length over 1000 is not allowed."),
    ("{{ '%*d' % (100000000, 1) }}", "A width or length over 1000 is not allowed."),
    ("{{ tiers.center(100000000) }}", "center() is not available in a template."),
    ("{{ '{:>100000000}'.format(1) }}", "format() is not available in a template."),
    ("{{ ('x' * 99999)|replace('x', 'yyyyyyyyyy') }}", "The text is too long."),
    ("{{ ('x' * 99999)|join('yyyyy') }}", "The text is too long."),
    ("{{ 'x' * 100001 }}", "The text is too long."),
    ("{{ (('x' * 99999) + 'x') + 'x' }}", "The text is too long."),
    ("{{ 2.0 ** 100000 }}", "The number is too large."),
    ("{{ 99999999999999999 * 99999999999999999 }}", "The number is too large."),
    ("{{ '1e400'|float }}", "The number is too large."),
    ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "The template cannot be read"),
    ("{% set x = 'x' * 99999 %}" + "{% set y = x|upper|lower|upper|lower %}" * 8,
     "too much work"),
    ("{% set x = 'x' * 99999 %}" + "{{ x }}" * 3, "The email is too long."),
]


@pytest.fixture
def preview(htmx, auth, tenants):
    htmx.post("/login", data={"email": tenants.a.admin_email,
                              "password": "correct horse battery"})
    address = url(tenants.a, f"{MAILINFO}/en/preview")
    return lambda body: htmx.post(address, data=GOOD | {"body_text": body})


def test_each_attack_is_answered_within_a_second_with_a_clear_message(preview):
    for body, message in ATTACKS:
        started = time.monotonic()
        response = preview(body)
        elapsed = time.monotonic() - started
        assert response.status_code == 200, body
        assert message in response.text.replace("&#39;", "'"), (body[:80], response.text)
        assert elapsed < 1.0, (body[:80], elapsed)


def test_what_a_template_legitimately_does_still_works(preview):
    body = ("{{ recipient_name|upper }} {{ tiers|center(30)|trim }} {{ comment|truncate(20) }}"
            " {{ '%05.1f'|format(3.14159) }} {{ 2 ** 10 }} {{ contacts.split(', ')|first }}"
            "{% if mode|lower == 'phone' %} call{% endif %} {{ (comment|wordcount) * 2 }}")
    response = preview(body)
    assert response.status_code == 200
    assert ("CAMILLE MARTIN Dupont SARL Asked for a... 003.1 1024 Jean Dupont call 22"
            in response.text), response.text


PIECES = st.sampled_from([
    "{{ tiers }}", "{{ comment }}", "{{ 9 ** 64 }}", "{{ 9 }}", " ** ", " * ", " % ", " + ",
    "{% if tiers %}", "{% endif %}", "{% for c in comment %}", "{% endfor %}",
    "{% macro m(x) %}", "{% endmacro %}", "{{ m(1) }}", "|center(", "|indent(", "|format(",
    "|join(", "|replace('a', ", "|upper", "|safe", "|attr('x')", ")", "(", "100000000",
    "'x'", "'%099999999d'", "{{", "}}", "{%", "%}", ".__class__", ".format(", "99999",
    "{% set s = comment * 999 %}", "{{ s }}", "-", "[", "]", "loop.cycle(", "range(9)",
])


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pieces=st.lists(PIECES, max_size=14))
def test_random_templates_get_an_answer_within_a_second_never_a_500(preview, pieces):
    body = "".join(pieces) or "x"
    started = time.monotonic()
    response = preview(body)
    assert response.status_code == 200, (body, response.status_code)
    assert time.monotonic() - started < 1.0, body


def test_a_stored_template_past_its_bounds_falls_back_to_the_default(app, tenants):
    """Saved before these bounds existed (or behind the editor's back)."""
    started = time.monotonic()
    rendered = invitation_with_stored_template(
        app, tenants.a.id, "{{ tiers|center(100000000) }}", "{{ ((9 ** 64) ** 64) ** 64 }}",
        "{% macro f(d) %}{{ f(d) }}{% endmacro %}{{ f(1) }}")
    assert time.monotonic() - started < 1.0
    assert rendered.subject == "Ann invites you to join Alpha on ct"


def test_the_budget_stops_a_long_render():
    body = "{% set x = 'x' * 99999 %}" + "{% set y = x|lower %}" * 30
    with pytest.raises(sandbox.TemplateProblem, match="too much work"):
        sandbox.render(body, {}, html=False)
    assert sandbox.render("{{ 'ab' * 3 }}", {}, html=False) == "ababab"
