"""The participation demo: realistic, inside the districts, idempotent."""

import pytest

from carte import geometry
from carte.models import Organisation
from cms.demo import (
    DemoReport,
    load_organisations,
    load_participation,
    load_users,
)
from participation import workflow
from participation.models import Comment, ModerationEvent, Proposal, Support
from participation.phases import Phase
from tests.conftest import row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    report = DemoReport()
    load_organisations(report)
    load_users(report)
    load_participation(report)
    return report


def test_the_demo_has_about_forty_ideas_in_valbourg_and_eight_in_saint_aubin(demo):
    valbourg = Organisation.objects.get(slug="valbourg")
    saint_aubin = Organisation.objects.get(slug="saint-aubin")
    assert Proposal.objects.for_organisation(valbourg).count() == 43
    assert Proposal.objects.for_organisation(saint_aubin).count() == 8
    assert Proposal.objects.filter(status=workflow.Status.PUBLISHED).count() >= 40
    assert Proposal.objects.filter(status=workflow.Status.SUBMITTED).count() == 4
    assert Proposal.objects.filter(channel="counter").count() == 4
    assert Support.objects.exists() and Comment.objects.exists()


def test_the_demo_cycle_is_in_its_ideas_phase(demo):
    for proposal in Proposal.objects.select_related("cycle")[:1]:
        assert proposal.cycle.phase_at() == Phase.SUBMISSION


def test_every_demo_point_lies_in_its_district(demo):
    for proposal in Proposal.objects.exclude(latitude=None).select_related("district"):
        shape = geometry.parse_polygon(proposal.district.outline)
        assert geometry.contains_point(
            shape, float(proposal.longitude), float(proposal.latitude)
        )


def test_the_counts_match_the_supports_and_comments(demo):
    for proposal in Proposal.objects.all():
        assert proposal.support_count == proposal.supports.count()
        assert proposal.comment_count == proposal.comments.count()


def test_published_ideas_have_their_history(demo):
    for proposal in Proposal.objects.filter(status=workflow.Status.PUBLISHED):
        steps = list(proposal.events.values_list("to_status", flat=True))
        assert steps == ["submitted", "published"]


def test_loading_twice_adds_nothing(demo):
    models = (Proposal, Support, Comment, ModerationEvent)
    counts = row_counts(*models)
    load_participation(DemoReport())
    assert counts == row_counts(*models)
