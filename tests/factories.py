"""factory-boy factories; a child copies its parent's organisation."""

import types

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from carte.models import District, Membership, User
from carte.roles import Role
from cms.services import organisation_create


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "carte.Organisation"

    name = factory.Sequence(lambda n: f"Commune {n}")
    slug = factory.Sequence(lambda n: f"commune-{n}")
    hostname = factory.Sequence(lambda n: f"commune-{n}.test")
    insee_code = factory.Sequence(lambda n: f"{10000 + n:05d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return organisation_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    pseudonym = factory.Sequence(lambda n: f"Habitant {n}")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(
                user=self, email=self.email, verified=True, primary=True
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MODERATOR


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Quartier {n}")
    code = factory.Sequence(lambda n: f"q{n}")
    outline = None


def with_map(organisation, bounds, *, centre=(46.8, 1.7)):
    """The organisation, saved with map bounds and a (latitude, longitude) centre."""
    organisation.map_latitude, organisation.map_longitude = centre
    organisation.map_bounds = bounds
    organisation.save()
    return organisation


def add_totp(user) -> str:
    """Give the user a TOTP authenticator; return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def staff_member(organisation, role, *, mfa=True) -> User:
    """A user with `role` in the organisation's team, with a TOTP authenticator
    (two-step verification, which the back office asks for) unless `mfa` is off."""
    user = MembershipFactory(organisation=organisation, role=role).user
    if mfa:
        add_totp(user)
    return user


# Participation: cycles, themes, proposals (issue 5, proposals piece).
from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from participation.models import CyclePhase  # noqa: E402
from participation.phases import Phase  # noqa: E402


def _open_ideas_phase(cycle, create, extracted, **kwargs):
    """By default a cycle is in its ideas phase; phase=False leaves it without one."""
    if not create or extracted is False:
        return
    phase = extracted or Phase.SUBMISSION
    now = timezone.now()
    CyclePhase.objects.create(
        cycle=cycle,
        phase=phase,
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=30),
    )


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participation.Cycle"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Budget participatif {2027 + n}")
    slug = factory.Sequence(lambda n: f"budget-{2027 + n}")
    presentation = "Proposez vos idées pour la commune."
    phase = factory.PostGeneration(_open_ideas_phase)


class CyclePhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participation.CyclePhase"

    cycle = factory.SubFactory(CycleFactory, phase=False)
    phase = "submission"
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = None


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participation.Theme"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


def child_factory(parent: str, parent_factory: type) -> type:
    """An abstract factory of rows belonging to a `parent` (made by
    `parent_factory`), in the parent's organisation (STYLE.md section 10)."""
    declarations = {
        "Meta": type("Meta", (), {"abstract": True}),
        parent: factory.SubFactory(parent_factory),
        "organisation": factory.SelfAttribute(f"{parent}.organisation"),
    }
    return types.new_class(
        f"Of{parent.title()}Factory",
        (factory.django.DjangoModelFactory,),
        exec_body=lambda namespace: namespace.update(declarations),
    )


InCycleFactory = child_factory("cycle", CycleFactory)


class ProposalFactory(InCycleFactory):
    class Meta:
        model = "participation.Proposal"

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idée numéro {n}")
    description = "Installer des bancs le long de la promenade."
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


OfProposalFactory = child_factory("proposal", ProposalFactory)


# Participation: comments (issue 5, interactions piece).
class CommentFactory(OfProposalFactory):
    class Meta:
        model = "participation.Comment"

    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Bonne idée, commentaire {n}.")


# Districts and geometry (issue 5, carte geography piece).
def square_outline(west: float, south: float, size: float) -> dict:
    """A GeoJSON Polygon: the square of `size` degrees from (west, south)."""
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


# Unsaved objects for predicate tests (issue 5, interactions piece).
def build_proposal(organisation, **fields):
    """An unsaved published proposal of a saved `organisation` (no query).

    ProposalFactory.build alone would build an organisation, which needs a site.
    """
    cycle = CycleFactory.build(organisation=organisation)
    return ProposalFactory.build(organisation=organisation, cycle=cycle, **fields)


def proposal_of(organisation, **fields):
    """A saved proposal of `organisation`, in a cycle of its own."""
    return ProposalFactory(cycle=CycleFactory(organisation=organisation), **fields)


# Review by city services and projects (issue 6, instruction and projects piece).
class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.Department"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")


class ReviewFactory(OfProposalFactory):
    """An open study of a proposal under study (no event written)."""

    class Meta:
        model = "budget.Review"

    proposal = factory.SubFactory(ProposalFactory, status="under_study")
    department = factory.SubFactory(
        DepartmentFactory, organisation=factory.SelfAttribute("..organisation")
    )


def feasible_proposal(cycle, cost_cents, *, study=None, **fields):
    """A feasible proposal of the cycle with its completed study (`study`: more
    fields of the Review)."""
    proposal = ProposalFactory(cycle=cycle, status="feasible", **fields)
    ReviewFactory(
        proposal=proposal,
        feasible=True,
        cost_cents=cost_cents,
        completed_at=timezone.now(),
        **(study or {}),
    )
    return proposal


class ProjectFactory(InCycleFactory):
    class Meta:
        model = "budget.Project"

    title = factory.Sequence(lambda n: f"Projet {n}")
    description = "Aménager le square avec des bancs et des arbres."
    cost_cents = 1_500_000


class ProjectCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.ProjectComment"

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SelfAttribute("project.organisation")
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Avis sur le projet, numéro {n}.")


# Supports and status changes (issue 6, merging and history piece).
class SupportFactory(OfProposalFactory):
    class Meta:
        model = "participation.Support"

    user = factory.SubFactory(UserFactory)


class ModerationEventFactory(OfProposalFactory):
    """A status change written directly (tests of the history display)."""

    class Meta:
        model = "participation.ModerationEvent"

    actor = None
    actor_role = "moderator"
    action = "publish"
    from_status = "submitted"
    to_status = "published"


class NotificationFactory(OfProposalFactory):
    """A status change told to the proposal's author (unless said otherwise)."""

    class Meta:
        model = "participation.Notification"

    user = factory.SelfAttribute("proposal.author")
    kind = "status_changed"
