"""The browser-test tools themselves: a check that cannot fail proves nothing."""

import pytest
from playwright.sync_api import Error

pytestmark = pytest.mark.browser


def test_axe_reports_each_violation_with_its_rule_and_target(axe_page, axe):
    axe_page.set_content(
        '<html lang="fr"><head><title>Essai</title></head>'
        '<body><main><img src="/static/carte/none.png" class="sans-alt"></main>'
        "</body></html>"
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        axe(axe_page)
    message = str(failure.value)
    assert "- image-alt (critical): Images must have alternative text" in message
    assert "\n    img: " in message


def test_console_errors_catch_a_csp_violation(live_organisation, page, console_errors):
    page.goto("/")
    with pytest.raises(Error, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true;")
    assert any("Content Security Policy" in error for error in console_errors)
