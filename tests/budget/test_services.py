"""Review, project and decision services: one event per proposal, all or nothing."""

from datetime import timedelta
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from budget import lifecycle
from budget.models import BallotListDecision, Project, ProjectProposal, Review
from budget.services.decisions import ProjectDecision, ballot_list_decide
from budget.services.departments import department_save
from budget.services.projects import (
    ProjectInput,
    project_comment_post,
    project_create,
    project_update,
)
from budget.services.reviews import review_assign, review_complete
from carte.models import AccountBlock, AuditEvent
from carte.roles import Role
from carte.tenancy import Actor
from participation.models import ModerationEvent, Notification, Proposal
from participation.phases import Phase
from tests.factories import (
    CycleFactory,
    DepartmentFactory,
    MembershipFactory,
    ProjectFactory,
    ProposalFactory,
    ReviewFactory,
    UserFactory,
    feasible_proposal,
)


@pytest.fixture
def cycle(organisation):
    return CycleFactory(organisation=organisation)


@pytest.fixture
def review_cycle(organisation):
    """A cycle in its review phase, when the list put to the vote is decided."""
    return CycleFactory(organisation=organisation, phase=Phase.REVIEW)


def member(organisation, role):
    return MembershipFactory(organisation=organisation, role=role).user


@pytest.fixture
def moderator(organisation):
    return member(organisation, Role.MODERATOR)


@pytest.fixture
def reviewer(organisation):
    return member(organisation, Role.REVIEWER)


@pytest.fixture
def department(organisation, reviewer):
    department = DepartmentFactory(organisation=organisation, name="Voirie")
    department.members.add(reviewer)
    return department


def assign(organisation, proposal, department, actor, *, due_on=None, **fields):
    """review_assign of the proposal to the department (no due date by default),
    by the user `actor` acting in `organisation`."""
    return review_assign(
        organisation=organisation,
        proposal_id=proposal.pk,
        department_id=department.pk,
        due_on=due_on,
        actor=Actor.for_user(actor, organisation),
        **fields,
    )


feasible = partial(
    feasible_proposal, study={"duration_weeks": 4, "public_explanation": "Faisable."}
)


def complete(organisation, review, actor, **fields):
    """review_complete of the review by the user `actor` acting in `organisation`:
    feasible, 1 € and one week, unless `fields` say otherwise."""
    study = {
        "feasible": True,
        "cost_cents": 100,
        "duration_weeks": 1,
        "public_explanation": "Oui.",
    }
    return review_complete(
        organisation=organisation,
        review_id=review.pk,
        actor=Actor.for_user(actor, organisation),
        **(study | fields),
    )


@pytest.fixture
def review(cycle, department):
    return ReviewFactory(proposal__cycle=cycle, department=department)


def events(proposal):
    return list(ModerationEvent.objects.filter(proposal=proposal))


@pytest.fixture
def reassigned(organisation, cycle, moderator, department):
    """A proposal sent to `department`, then to another service: both."""
    proposal = ProposalFactory(cycle=cycle)
    other = DepartmentFactory(organisation=organisation)
    for target in (department, other):
        assign(organisation, proposal, target, actor=moderator)
    return proposal, other


# Assignment ------------------------------------------------------------------------


def test_assigning_a_published_proposal_starts_its_study_with_one_event(
    organisation,
    cycle,
    moderator,
    department,
    reviewer,
    django_capture_on_commit_callbacks,
):
    proposal = ProposalFactory(cycle=cycle)
    due = timezone.localdate() + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        review = assign(
            organisation,
            proposal,
            department,
            reviewer_id=reviewer.pk,
            due_on=due,
            actor=moderator,
        )
    proposal.refresh_from_db()
    assert proposal.status == "under_study"
    assert (review.department, review.reviewer, review.due_on) == (
        department,
        reviewer,
        due,
    )
    [event] = events(proposal)
    assert (event.action, event.actor_role, event.to_status) == (
        "start_study",
        "moderator",
        "under_study",
    )
    assert "Voirie" in event.reason
    assert Notification.objects.filter(user=proposal.author).count() == 1


def test_reassigning_a_proposal_under_study_writes_no_second_event(reassigned):
    proposal, other = reassigned
    assert Review.objects.get(proposal=proposal).department == other
    assert len(events(proposal)) == 1


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ELECTED, Role.COUNTER_AGENT])
def test_only_moderators_and_admins_assign(organisation, cycle, department, role):
    proposal = ProposalFactory(cycle=cycle)
    with pytest.raises(PermissionDenied):
        assign(organisation, proposal, department, actor=member(organisation, role))
    assert not Review.objects.exists() and not ModerationEvent.objects.exists()


def test_a_reviewer_outside_the_service_or_another_communes_service_is_refused(
    organisation, other_organisation, cycle, moderator, department
):
    proposal = ProposalFactory(cycle=cycle)
    outsider = member(organisation, Role.REVIEWER)
    with pytest.raises(ValidationError) as error:
        assign(
            organisation, proposal, department, reviewer_id=outsider.pk, actor=moderator
        )
    assert "reviewer" in error.value.message_dict
    foreign = DepartmentFactory(organisation=other_organisation)
    with pytest.raises(ValidationError):
        assign(organisation, proposal, foreign, actor=moderator)
    assert not Review.objects.exists() and not ModerationEvent.objects.exists()


def test_a_submitted_proposal_cannot_be_assigned(
    organisation, cycle, moderator, department
):
    proposal = ProposalFactory(cycle=cycle, status="submitted")
    with pytest.raises(ValidationError) as error:
        assign(organisation, proposal, department, actor=moderator)
    assert error.value.code == "not_assignable"


# Study -----------------------------------------------------------------------------


def test_completing_a_study_marks_it_feasible_with_exact_cents(
    organisation, review, reviewer
):
    complete(
        organisation,
        review,
        reviewer,
        cost_cents=1_234_567,
        duration_weeks=6,
        internal_notes="Voir avec le service des eaux.",
        public_explanation="Faisable sur le budget de voirie.",
    )
    review.refresh_from_db()
    review.proposal.refresh_from_db()
    assert review.cost_cents == 1_234_567 and review.duration_weeks == 6
    assert review.completed_by == reviewer and review.completed_at is not None
    assert review.proposal.status == "feasible"
    [event] = events(review.proposal)
    assert (event.action, event.actor_role) == ("mark_feasible", "reviewer")
    assert event.reason == "Faisable sur le budget de voirie."
    assert "eaux" not in event.reason


def test_a_study_not_feasible_drops_cost_and_duration(organisation, review, reviewer):
    complete(
        organisation,
        review,
        reviewer,
        feasible=False,
        cost_cents=100,
        duration_weeks=2,
        public_explanation="Terrain privé.",
    )
    review.refresh_from_db()
    assert (review.feasible, review.cost_cents, review.duration_weeks) == (
        False,
        None,
        None,
    )
    assert Proposal.objects.get(pk=review.proposal_id).status == "not_feasible"


def test_a_reviewer_of_another_service_cannot_complete_the_study(organisation, review):
    with pytest.raises(PermissionDenied):
        complete(organisation, review, member(organisation, Role.REVIEWER))
    review.refresh_from_db()
    assert review.completed_at is None and not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    ("cost", "weeks", "explanation", "field"),
    [
        (None, 3, "Oui.", "cost"),
        (100, None, "Oui.", "duration_weeks"),
        (100, 3, "  ", "public_explanation"),
    ],
)
def test_an_incomplete_study_is_refused_and_nothing_is_saved(
    organisation, review, reviewer, cost, weeks, explanation, field
):
    with pytest.raises(ValidationError) as error:
        complete(
            organisation,
            review,
            reviewer,
            cost_cents=cost,
            duration_weeks=weeks,
            public_explanation=explanation,
        )
    assert field in error.value.message_dict
    review.refresh_from_db()
    assert review.completed_at is None and review.cost_cents is None
    assert not ModerationEvent.objects.exists()


def test_a_failed_transition_rolls_the_study_back(organisation, review, reviewer):
    # The proposal was withdrawn meanwhile: marking it feasible is refused.
    Proposal.objects.filter(pk=review.proposal_id).update(status="withdrawn")
    with pytest.raises(ValidationError):
        complete(organisation, review, reviewer)
    review.refresh_from_db()
    assert review.completed_at is None and review.feasible is None


# Projects --------------------------------------------------------------------------


def data(**fields):
    return ProjectInput(
        **({"title": "Square des Tilleuls", "description": "Des bancs."} | fields)
    )


def create(organisation, cycle, proposals, actor, **fields):
    """project_create grouping `proposals` of the cycle, by the user `actor`."""
    return project_create(
        organisation=organisation,
        cycle_id=cycle.pk,
        proposal_ids=[proposal.pk for proposal in proposals],
        data=data(**fields),
        actor=Actor.for_user(actor, organisation),
    )


def test_a_project_groups_feasible_proposals_and_sums_their_costs(
    organisation, cycle, reviewer, django_capture_on_commit_callbacks
):
    first, second = feasible(cycle, 1_000_050), feasible(cycle, 250_025)
    with django_capture_on_commit_callbacks(execute=True):
        project = create(organisation, cycle, [first, second], reviewer)
    assert project.cost_cents == 1_250_075
    assert project.status == lifecycle.Status.IN_PREPARATION
    assert {p.pk for p in project.proposals.all()} == {first.pk, second.pk}
    for proposal in (first, second):
        proposal.refresh_from_db()
        assert proposal.status == "grouped"
        assert proposal.project_link.project == project
        [event] = events(proposal)
        assert event.action == "group" and "Square des Tilleuls" in event.reason
        assert project.get_absolute_url() in event.reason
        assert Notification.objects.filter(
            user=proposal.author, proposal=proposal
        ).exists()


def test_a_typed_cost_replaces_the_sum(organisation, cycle, reviewer):
    proposal = feasible(cycle, 100)
    project = create(organisation, cycle, [proposal], reviewer, cost_cents=999_999)
    assert project.cost_cents == 999_999


@pytest.mark.parametrize("status", ["under_study", "not_feasible", "published"])
def test_one_proposal_not_feasible_leaves_nothing(
    organisation, cycle, reviewer, status
):
    good = feasible(cycle, 100)
    bad = ProposalFactory(cycle=cycle, status=status)
    with pytest.raises(ValidationError) as error:
        create(organisation, cycle, [good, bad], reviewer)
    assert "proposals" in error.value.message_dict
    assert not Project.objects.exists() and not ProjectProposal.objects.exists()
    good.refresh_from_db()
    assert good.status == "feasible" and not ModerationEvent.objects.exists()


def test_a_failure_after_the_first_grouping_leaves_nothing(
    organisation, cycle, reviewer, monkeypatch
):
    # The second transition fails: the first event and the project roll back.
    from budget.services import projects

    first, second = feasible(cycle, 100), feasible(cycle, 200)
    real = projects.proposal_transition
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["proposal_id"])
        if len(calls) == 2:
            raise ValidationError("boom", code="boom")
        return real(**kwargs)

    monkeypatch.setattr(projects, "proposal_transition", failing)
    with pytest.raises(ValidationError):
        create(organisation, cycle, [first, second], reviewer)
    assert not Project.objects.exists() and not ModerationEvent.objects.exists()
    assert set(Proposal.objects.values_list("status", flat=True)) == {"feasible"}


def test_a_proposal_already_grouped_or_of_another_cycle_is_refused(
    organisation, cycle, reviewer
):
    grouped = feasible(cycle, 100)
    create(organisation, cycle, [grouped], reviewer)
    elsewhere = feasible(CycleFactory(organisation=organisation), 100)
    for proposal in (grouped, elsewhere):
        with pytest.raises(ValidationError):
            create(organisation, cycle, [proposal], reviewer)
    assert Project.objects.count() == 1


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ELECTED, Role.COUNTER_AGENT])
def test_only_builders_create_projects(organisation, cycle, role):
    proposal = feasible(cycle, 100)
    with pytest.raises(PermissionDenied):
        create(organisation, cycle, [proposal], member(organisation, role))
    assert not Project.objects.exists()


def comment(organisation, project, author, body):
    """project_comment_post of `body` on the project by the user `author`."""
    return project_comment_post(
        organisation=organisation,
        project_id=project.pk,
        author=Actor.for_user(author, organisation),
        body=body,
    )


def test_project_comments_count_and_close_after_the_decision(organisation, cycle):
    project = ProjectFactory(cycle=cycle)
    resident = UserFactory()
    comment(organisation, project, resident, "Oui !")
    project.refresh_from_db()
    assert project.comment_count == 1
    Project.objects.filter(pk=project.pk).update(status=lifecycle.Status.ON_BALLOT)
    with pytest.raises(ValidationError) as error:
        comment(organisation, project, resident, "Non")
    assert error.value.code == "closed"


def test_a_blocked_account_cannot_comment_a_project(organisation, cycle):
    project = ProjectFactory(cycle=cycle)
    resident = UserFactory()
    AccountBlock.objects.create(organisation=organisation, user=resident, reason="x")
    with pytest.raises(ValidationError) as error:
        comment(organisation, project, resident, "A")
    assert error.value.code == "blocked"


# Decision --------------------------------------------------------------------------


def on_ballot(*projects):
    """The decisions putting every one of `projects` on the ballot."""
    return {p.pk: ProjectDecision(lifecycle.Action.PUT_ON_BALLOT) for p in projects}


def decide(organisation, cycle, decisions, actor, **fields):
    """ballot_list_decide of the cycle's `decisions` by the user `actor`."""
    return ballot_list_decide(
        organisation=organisation,
        cycle_id=cycle.pk,
        decisions=decisions,
        actor=Actor.for_user(actor, organisation),
        **fields,
    )


def test_the_elected_officials_decision_is_recorded_with_a_snapshot(
    organisation, review_cycle
):
    elected = member(organisation, Role.ELECTED)
    kept = ProjectFactory(cycle=review_cycle, title="Bancs", cost_cents=150_050)
    dropped = ProjectFactory(cycle=review_cycle, title="Fontaine", cost_cents=9_000_000)
    decisions = {
        kept.pk: ProjectDecision(lifecycle.Action.PUT_ON_BALLOT),
        dropped.pk: ProjectDecision(lifecycle.Action.SET_ASIDE, "Trop cher."),
    }
    decision = decide(
        organisation,
        review_cycle,
        decisions,
        elected,
        note="Conseil municipal du 3 mars.",
    )
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert kept.status == "on_ballot" and dropped.status == "set_aside"
    assert dropped.decision_reason == "Trop cher."
    assert decision.decided_by == elected and decision.decided_by_role == "elected"
    assert decision.on_ballot == [
        {"id": kept.pk, "title": "Bancs", "cost_cents": 150_050}
    ]
    assert decision.set_aside == [
        {
            "id": dropped.pk,
            "title": "Fontaine",
            "cost_cents": 9_000_000,
            "reason": "Trop cher.",
        }
    ]
    audit = AuditEvent.objects.get(action="ballot_list.decide")
    assert audit.data["decision"] == decision.pk and audit.actor == elected


def test_a_decision_without_reason_or_missing_a_project_writes_nothing(
    organisation, review_cycle
):
    elected = member(organisation, Role.ELECTED)
    first, second = (
        ProjectFactory(cycle=review_cycle),
        ProjectFactory(cycle=review_cycle),
    )
    attempts = [
        on_ballot(first),
        {
            first.pk: ProjectDecision(lifecycle.Action.PUT_ON_BALLOT),
            second.pk: ProjectDecision(lifecycle.Action.SET_ASIDE, " "),
        },
    ]
    for decisions in attempts:
        with pytest.raises(ValidationError):
            decide(organisation, review_cycle, decisions, elected)
    assert (
        not BallotListDecision.objects.exists()
        and not AuditEvent.objects.filter(action="ballot_list.decide").exists()
    )
    assert set(Project.objects.values_list("status", flat=True)) == {"in_preparation"}


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.MODERATOR, Role.COUNTER_AGENT])
def test_only_deciders_validate_the_list(organisation, review_cycle, role):
    project = ProjectFactory(cycle=review_cycle)
    with pytest.raises(PermissionDenied):
        decide(
            organisation, review_cycle, on_ballot(project), member(organisation, role)
        )
    assert not BallotListDecision.objects.exists()


def test_another_communes_admin_cannot_decide(
    organisation, other_organisation, review_cycle
):
    project = ProjectFactory(cycle=review_cycle)
    with pytest.raises(PermissionDenied):
        admin = member(other_organisation, Role.ADMIN)
        decide(organisation, review_cycle, on_ballot(project), admin)


# City services ---------------------------------------------------------------------


def test_a_service_takes_only_reviewers_as_members(organisation, reviewer):
    admin = member(organisation, Role.ADMIN)
    department = department_save(
        organisation=organisation,
        name="Espaces verts",
        member_ids=[reviewer.pk],
        actor=Actor.for_user(admin, organisation),
    )
    assert list(department.members.all()) == [reviewer]
    with pytest.raises(ValidationError) as error:
        department_save(
            organisation=organisation,
            name="Voirie",
            member_ids=[member(organisation, Role.MODERATOR).pk],
            actor=Actor.for_user(admin, organisation),
        )
    assert "members" in error.value.message_dict
    with pytest.raises(ValidationError):
        department_save(
            organisation=organisation,
            name="espaces verts",
            member_ids=[],
            actor=Actor.for_user(admin, organisation),
        )
    assert AuditEvent.objects.filter(action="department.create").count() == 1


def test_assigning_and_reassigning_are_audited(moderator, department, reassigned):
    proposal, other = reassigned
    audits = AuditEvent.objects.filter(
        action="review_assign", target=f"proposal:{proposal.pk}"
    ).order_by("pk")
    assert [a.data["department"] for a in audits] == [department.pk, other.pk]
    assert {a.actor for a in audits} == {moderator}


def test_creating_and_editing_a_project_are_audited_with_the_cost(
    organisation, cycle, reviewer
):
    proposal = feasible(cycle, 100)
    project = create(organisation, cycle, [proposal], reviewer, cost_cents=50_000)
    project_update(
        organisation=organisation,
        project_id=project.pk,
        data=data(cost_cents=60_000),
        actor=Actor.for_user(reviewer, organisation),
    )
    audits = list(
        AuditEvent.objects.filter(target=f"project:{project.pk}").order_by("pk")
    )
    assert [a.action for a in audits] == ["project_create", "project_update"]
    assert audits[0].data == {"proposals": [proposal.pk], "cost_cents": 50_000}
    assert audits[1].data["before"]["cost_cents"] == 50_000
    assert audits[1].data["after"]["cost_cents"] == 60_000
