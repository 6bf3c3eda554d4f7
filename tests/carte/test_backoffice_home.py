"""The back-office home links each role to the pages it may open, and only those."""

import re

import pytest
from django.urls import reverse

from carte.roles import Role
from tests import factories

EXPECTED = {
    Role.MODERATOR: {"moderation-queue", "moderation-replies", "review-to-assign"},
    Role.REVIEWER: {"review-list", "project-manage-list"},
    Role.COUNTER_AGENT: {"counter-proposal-create"},
    Role.ELECTED: {"ballot-list-validate"},
    Role.ADMIN: {
        "moderation-queue",
        "moderation-replies",
        "review-to-assign",
        "review-list",
        "project-manage-list",
        "ballot-list-validate",
        "counter-proposal-create",
        "cycle-manage-list",
        "department-list",
        "district-list",
        "membership-list",
    },
}
NAMES = {
    "moderation-queue": "participation:moderation-queue",
    "moderation-replies": "participation:moderation-replies",
    "review-to-assign": "budget:review-to-assign",
    "review-list": "budget:review-list",
    "project-manage-list": "budget:project-manage-list",
    "ballot-list-validate": "budget:ballot-list-validate",
    "counter-proposal-create": "participation:counter-proposal-create",
    "cycle-manage-list": "participation:cycle-manage-list",
    "department-list": "budget:department-list",
    "district-list": "carte:district-list",
    "membership-list": "carte:membership-list",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_the_links_it_may_open_and_they_open(
    organisation, staff_of, role
):
    factories.CycleFactory(organisation=organisation)
    _user, client = staff_of(organisation, role)
    page = client.get(reverse("carte:backoffice-home"))
    assert page.status_code == 200
    hrefs = set(re.findall(r'href="([^"]+)"', page.content.decode()))
    by_url = {reverse(url): name for name, url in NAMES.items()}
    shown = {by_url[href] for href in hrefs if href in by_url}
    assert shown == EXPECTED[role]
    for name in shown:
        assert client.get(reverse(NAMES[name])).status_code == 200, name
