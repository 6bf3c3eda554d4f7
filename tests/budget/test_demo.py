"""The demo commune shows every outcome of an idea, and projects (issue 6)."""

import pytest
from django.db.models import Count

from budget.models import Project, ProjectComment
from carte.models import Organisation
from cms.demo import (
    DemoReport,
    load_organisations,
    load_participation,
    load_review,
    load_users,
)
from participation import workflow
from participation.models import ModerationEvent, Proposal


@pytest.fixture
def demo(db):
    report = DemoReport()
    for loader in (load_organisations, load_users, load_participation, load_review):
        loader(report)
    return Organisation.objects.get(slug="valbourg")


def _statuses(organisation) -> dict[str, int]:
    rows = (
        Proposal.objects.for_organisation(organisation)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def test_valbourg_has_proposals_in_every_status(demo):
    assert set(_statuses(demo)) == {status.value for status in workflow.Status}


def test_projects_are_built_from_grouped_proposals_with_comments(demo):
    projects = Project.objects.for_organisation(demo).annotate(n=Count("proposals"))
    assert projects.count() == 3
    assert max(project.n for project in projects) >= 2
    grouped = Proposal.objects.for_organisation(demo).filter(
        status=workflow.Status.GROUPED
    )
    assert sum(project.n for project in projects) == grouped.count()
    assert all(p.projects.exists() for p in grouped)
    assert ProjectComment.objects.filter(project__in=projects).exists()
    for project in projects:
        assert project.cost_cents > 0


def test_each_outcome_carries_its_public_reason_in_order(demo):
    for proposal in Proposal.objects.for_organisation(demo).exclude(
        status__in=[workflow.Status.DRAFT, workflow.Status.SUBMITTED]
    ):
        events = list(ModerationEvent.objects.filter(proposal=proposal))
        assert events[-1].to_status == proposal.status
        dates = [event.created_at for event in events]
        assert dates == sorted(dates), proposal.title
        last = events[-1]
        if last.action in workflow.REASON_REQUIRED:
            assert last.reason, proposal.title


def test_loading_twice_changes_nothing(demo):
    before = (_statuses(demo), Project.objects.count(), ModerationEvent.objects.count())
    report = DemoReport()
    for loader in (load_participation, load_review):
        loader(report)
    after = (_statuses(demo), Project.objects.count(), ModerationEvent.objects.count())
    assert after == before
