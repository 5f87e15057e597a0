"""The journeys' guard can fail: a CSP violation or a script error is reported."""

import pytest

pytestmark = pytest.mark.e2e


def test_a_blocked_inline_style_and_script_error_are_reported(page, problems):
    page.goto("/login")
    problems.assert_none()
    # An inline style attribute is refused by `style-src 'self'`.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.evaluate("setTimeout(() => { throw new Error('boom') })")
    for _ in range(100):  # the reports arrive asynchronously
        report = "\n".join(problems.items)
        if "CSP style-src" in report and "boom" in report:
            break
        page.wait_for_timeout(20)
    with pytest.raises(AssertionError) as failure:
        problems.assert_none()
    report = str(failure.value)
    assert "CSP style-src" in report
    assert "boom" in report
