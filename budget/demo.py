"""Demo data for moderation and review: every outcome of an idea, and projects.

`load_review(report)` runs after `participation.demo.load_participation`. It takes
some of the demo ideas through the real services (the same checks, events and
notifications as on the site): changes requested, rejected with a standard
reason, merged, forwarded, withdrawn, under study, feasible or not, and grouped
into projects with comments. Idempotent: a step only runs while its idea is still
in the status it starts from, and a project is only created once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from budget.models import Department, Project
from budget.services.departments import department_save
from budget.services.projects import ProjectInput, project_comment_post, project_create
from budget.services.reviews import review_assign, review_complete
from carte.models import District, Organisation, User
from carte.roles import Role
from carte.tenancy import Actor
from participation import workflow
from participation.models import Cycle, ModerationEvent, Proposal, StandardReply
from participation.services.merging import proposal_merge
from participation.services.moderation import (
    proposal_transition,
    standard_replies_seed,
)
from participation.services.proposals import ProposalInput, proposal_save_draft

S = workflow.Status
A = workflow.Action

DEPARTMENTS = {
    "voirie": "Voirie et mobilités",
    "verts": "Espaces verts",
    "sports": "Sports, jeunesse et vie associative",
}


@dataclass(frozen=True)
class Study:
    """An idea sent to a city service; `feasible` None: still under study."""

    title: str
    department: str  # key of DEPARTMENTS
    feasible: bool | None = None
    cost_euros: int | None = None
    weeks: int | None = None
    explanation: str = ""


STUDIES = [
    Study("Piste cyclable entre la gare et le lycée", "voirie"),
    Study("Des toilettes publiques au parc", "verts"),
    Study("Un skatepark près du stade", "sports"),
    Study(
        "Trottoirs élargis rue Pasteur",
        "voirie",
        feasible=False,
        explanation=(
            "Les réseaux d'eau et de gaz passent sous le trottoir : l'élargir "
            "demanderait de les déplacer, pour un coût bien au-delà de l'enveloppe. "
            "La rue sera revue lors de la réfection prévue en 2029."
        ),
    ),
    Study(
        "Un terrain de basket aux Tilleuls",
        "sports",
        feasible=True,
        cost_euros=48_500,
        weeks=10,
        explanation=(
            "Le terrain peut être construit sur la pelouse derrière le gymnase, "
            "avec deux paniers et un revêtement drainant."
        ),
    ),
    Study(
        "Aire de jeux accessible aux enfants handicapés",
        "sports",
        feasible=True,
        cost_euros=42_000,
        weeks=12,
        explanation=(
            "Réalisable dans le parc des Tilleuls : sol souple, balançoire nid et "
            "jeux à hauteur de fauteuil."
        ),
    ),
    # Grouped below into projects.
    Study(
        "Abri à vélos sécurisé à la gare",
        "voirie",
        True,
        24_000,
        8,
        "Un abri fermé de trente places, accessible avec la carte de transport.",
    ),
    Study(
        "Arceaux à vélos devant les commerces",
        "voirie",
        True,
        3_600,
        2,
        "Douze arceaux répartis devant les commerces de la rue principale.",
    ),
    Study(
        "Bornes de réparation de vélos",
        "voirie",
        True,
        4_200,
        2,
        "Deux bornes avec outils attachés et pompe, à la gare et au centre.",
    ),
    Study(
        "Réparer la balançoire du parc des Tilleuls",
        "verts",
        True,
        2_300,
        1,
        "La balançoire sera remplacée par un modèle aux normes.",
    ),
    Study(
        "Plus de poubelles de tri au parc",
        "verts",
        True,
        3_800,
        2,
        "Six corbeilles de tri à trois bacs le long des allées.",
    ),
    Study(
        "Banc de l'amitié à l'entrée de l'école",
        "verts",
        True,
        900,
        1,
        "Un banc coloré, peint avec les enfants de l'école.",
    ),
    Study(
        "Boîte à livres devant la médiathèque",
        "sports",
        True,
        800,
        1,
        "Une boîte à livres en bois fabriquée par le chantier d'insertion.",
    ),
]


@dataclass(frozen=True)
class DemoProject:
    title: str
    description: str
    ideas: tuple[str, ...]
    district: str | None
    address: str
    comments: tuple[str, ...] = ()


PROJECTS = [
    DemoProject(
        "Le vélo facile à la gare et au centre",
        "Un abri à vélos sécurisé à la gare, des arceaux devant les commerces et "
        "deux bornes de réparation : trois idées d'habitants réunies en un projet "
        "pour faciliter les trajets à vélo.",
        (
            "Abri à vélos sécurisé à la gare",
            "Arceaux à vélos devant les commerces",
            "Bornes de réparation de vélos",
        ),
        "la-gare",
        "Place de la Gare",
        (
            "Merci d'avoir réuni nos idées ! Pourrait-on prévoir une borne près du "
            "lycée aussi ?",
            "L'abri fermé est indispensable : deux vélos ont été volés cet hiver.",
        ),
    ),
    DemoProject(
        "Un parc des Tilleuls plus agréable",
        "Une balançoire neuve, des poubelles de tri et un banc de l'amitié peint "
        "avec les enfants de l'école.",
        (
            "Réparer la balançoire du parc des Tilleuls",
            "Plus de poubelles de tri au parc",
            "Banc de l'amitié à l'entrée de l'école",
        ),
        "les-tilleuls",
        "Parc des Tilleuls",
        ("Les enfants de CM1 seraient ravis de peindre le banc.",),
    ),
    DemoProject(
        "Une boîte à livres devant la médiathèque",
        "Déposer et emprunter des livres librement, à toute heure.",
        ("Boîte à livres devant la médiathèque",),
        "centre-ville",
        "Médiathèque",
    ),
]


@dataclass(frozen=True)
class Step:
    """One moderation action on a demo idea, taken while it is in `origin`."""

    title: str
    origin: S
    action: A
    reason: str = ""
    reason_label: str = ""  # the English title of a seeded standard reply
    forwarded_to: str = ""
    into: str = ""  # the title of the proposal a duplicate is merged into


STEPS = [
    Step(
        "Une grainothèque à la médiathèque",
        S.SUBMITTED,
        A.REQUEST_CHANGES,
        "Pouvez-vous préciser qui s'occuperait de la grainothèque (association, "
        "médiathèque) et où elle serait installée ?",
    ),
    Step(
        "Baisser la taxe foncière",
        S.SUBMITTED,
        A.REJECT,
        "Le budget participatif finance des projets d'investissement ; les impôts "
        "locaux sont votés chaque année par le conseil municipal.",
        reason_label="Not an investment",  # a seeded reply (English msgid)
    ),
    Step(
        "Compost collectif au square",
        S.PUBLISHED,
        A.MERGE,
        "Cette idée rejoint « Un composteur partagé square Jean-Moulin ».",
        into="Un composteur partagé square Jean-Moulin",
    ),
    Step(
        "Navette vers le marché le samedi",
        S.PUBLISHED,
        A.FORWARD,
        "Les transports relèvent de la communauté de communes, qui organise les "
        "navettes : nous lui avons transmis l'idée.",
        forwarded_to="Communauté de communes du Val de l'Indre",
    ),
    Step(
        "Un radar pédagogique route de Tours",
        S.PUBLISHED,
        A.FORWARD,
        "La route de Tours est une route départementale : c'est au Département "
        "d'y installer un radar.",
        forwarded_to="Département d'Indre-et-Loire",
    ),
    Step(
        "Cinéma en plein air au parc",
        S.PUBLISHED,
        A.WITHDRAW,
        "Le comité des fêtes organise déjà une séance cet été : je retire mon idée.",
    ),
]


def _staff(organisation: Organisation, role: Role) -> User | None:
    return (
        User.objects.filter(
            memberships__organisation=organisation, memberships__role=role
        )
        .order_by("pk")
        .first()
    )


class _Clock:
    """Dates for the demo's events: after the idea's last event, before now."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def after(self, proposal: Proposal, days_ago: float) -> datetime:
        last = (
            ModerationEvent.objects.filter(proposal=proposal)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        planned = self.now - timedelta(days=days_ago)
        if last is not None and planned <= last:
            planned = min(last + timedelta(hours=2), self.now)
        return planned


def _proposal(organisation: Organisation, title: str) -> Proposal | None:
    return Proposal.objects.for_organisation(organisation).filter(title=title).first()


def _moderate(organisation, moderator, clock: _Clock) -> None:
    for step in STEPS:
        proposal = _proposal(organisation, step.title)
        if proposal is None or proposal.status != step.origin:
            continue
        user = proposal.author if step.action == A.WITHDRAW else moderator
        actor = Actor.for_user(user, organisation)
        when = clock.after(proposal, 6)
        if step.action == A.MERGE:
            target = _proposal(organisation, step.into)
            proposal_merge(
                organisation=organisation,
                proposal_id=proposal.pk,
                into_id=target.pk,
                actor=actor,
                reason=step.reason,
                now=when,
            )
            continue
        proposal_transition(
            organisation=organisation,
            proposal_id=proposal.pk,
            action=step.action,
            actor=actor,
            reason=step.reason,
            reason_label=gettext(step.reason_label) if step.reason_label else "",
            forwarded_to=step.forwarded_to,
            now=when,
        )


def _departments(organisation, admin, reviewer) -> dict[str, Department]:
    found = {}
    for key, name in DEPARTMENTS.items():
        department = Department.objects.for_organisation(organisation).filter(name=name)
        found[key] = department.first() or department_save(
            organisation=organisation,
            name=name,
            member_ids=[reviewer.pk] if reviewer else [],
            actor=admin,
        )
    return found


def _study(organisation, moderator, reviewer, departments, clock: _Clock) -> None:
    for study in STUDIES:
        proposal = _proposal(organisation, study.title)
        if proposal is None:
            continue
        if proposal.status == S.PUBLISHED:
            assigned = clock.after(proposal, 9)
            review_assign(
                organisation=organisation,
                proposal_id=proposal.pk,
                department_id=departments[study.department].pk,
                reviewer_id=reviewer.pk if reviewer else None,
                due_on=timezone.localdate(assigned) + timedelta(days=30),
                actor=moderator,
                now=assigned,
            )
            proposal.refresh_from_db()
        if proposal.status == S.UNDER_STUDY and study.feasible is not None:
            review_complete(
                organisation=organisation,
                review_id=proposal.review.pk,
                feasible=study.feasible,
                cost_cents=study.cost_euros * 100 if study.cost_euros else None,
                duration_weeks=study.weeks,
                internal_notes="Vu sur place avec le responsable du secteur.",
                public_explanation=study.explanation,
                actor=reviewer,
                now=clock.after(proposal, 4),
            )


def _projects(organisation, reviewer, clock: _Clock) -> None:
    districts = {d.code: d for d in District.objects.for_organisation(organisation)}
    for demo in PROJECTS:
        if Project.objects.for_organisation(organisation).filter(title=demo.title):
            continue
        proposals = [_proposal(organisation, title) for title in demo.ideas]
        if not proposals or any(p is None or p.status != S.FEASIBLE for p in proposals):
            continue
        district = districts.get(demo.district) if demo.district else None
        project = project_create(
            organisation=organisation,
            cycle_id=proposals[0].cycle_id,
            proposal_ids=[p.pk for p in proposals],
            data=ProjectInput(
                title=demo.title,
                description=demo.description,
                district_id=district.pk if district else None,
                address=demo.address,
            ),
            actor=reviewer,
            now=max(clock.after(p, 2) for p in proposals),
        )
        authors = [p.author for p in proposals if p.author is not None]
        for index, body in enumerate(demo.comments):
            if authors:
                project_comment_post(
                    organisation=organisation,
                    project_id=project.pk,
                    author=authors[index % len(authors)],
                    body=body,
                    now=clock.now - timedelta(hours=20 - index),
                )


DRAFT_TITLE = "Des ruches sur le toit de la mairie"


def _draft(organisation: Organisation) -> None:
    """A draft of the demo citizen, so that every status exists (seen by her only)."""
    author = User.objects.filter(email=f"habitant1@{organisation.slug}.test").first()
    cycle = Cycle.objects.for_organisation(organisation).order_by("pk").first()
    if author is None or cycle is None or _proposal(organisation, DRAFT_TITLE):
        return
    proposal_save_draft(
        organisation=organisation,
        cycle_id=cycle.pk,
        author=author,
        data=ProposalInput(
            title=DRAFT_TITLE,
            description="Deux ou trois ruches, entretenues par l'apiculteur du "
            "village, avec des visites pour les écoles.",
        ),
    )


def _load(organisation: Organisation, now: datetime) -> None:
    if not StandardReply.objects.for_organisation(organisation).exists():
        standard_replies_seed(organisation=organisation)
    admin = _staff(organisation, Role.ADMIN)
    moderator = _staff(organisation, Role.MODERATOR) or admin
    reviewer = _staff(organisation, Role.REVIEWER) or admin
    if admin is None:
        return
    clock = _Clock(now)
    _moderate(organisation, moderator, clock)
    departments = _departments(organisation, admin, _staff(organisation, Role.REVIEWER))
    _study(organisation, moderator, reviewer, departments, clock)
    _projects(organisation, reviewer, clock)
    _draft(organisation)


@transaction.atomic
def load_review(report) -> None:
    """Moderation outcomes, studies and projects for Valbourg (idempotent)."""
    now = timezone.now()
    for organisation in Organisation.objects.filter(slug="valbourg"):
        _load(organisation, now)
    for organisation in Organisation.objects.filter(slug="saint-aubin"):
        if not StandardReply.objects.for_organisation(organisation).exists():
            standard_replies_seed(organisation=organisation)
