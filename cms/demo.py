"""The demo installation: two fictional communes, their districts, pages, users,
ideas at every stage of moderation and review, and projects.

The content is data, in cms/demo_data/: `agora.json` lists the communes in loading
order with what they share (the cycle, themes, comments, the platform operator),
and one file per commune holds its districts, accounts, ideas, moderation
outcomes, departments, studies and projects. `manage.py load_demo` runs every
loader of LOADERS in order; each is idempotent (run it again: nothing is added).

Moderation, review and projects go through the services (the same checks, events
and notifications as on the site). The ideas' earlier history (submission,
publication, supports, comments) is backdated and notifies nobody, so that the
cycle is always in its ideas phase; dates are relative to today, and points are
drawn inside each district's outline from a fixed random seed.
"""

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import Site

from budget.models import Department, Project
from budget.services.departments import department_save
from budget.services.projects import ProjectInput, project_comment_post, project_create
from budget.services.reviews import review_assign, review_complete
from carte import geometry
from carte.models import District, Organisation, User
from carte.roles import Role
from carte.services.team import membership_set
from carte.tenancy import Actor
from cms.demo_pages import load_pages
from cms.services import organisation_create
from participation import phases, workflow
from participation.models import (
    Channel,
    Comment,
    Cycle,
    CyclePhase,
    ModerationEvent,
    Proposal,
    StandardReply,
    Support,
    Theme,
)
from participation.services.merging import proposal_merge
from participation.services.moderation import (
    apply_transition,
    proposal_transition,
    standard_replies_seed,
)
from participation.services.proposals import ProposalInput, proposal_save_draft

PASSWORD = "Agora-demo-2026"
# Shared by every demo staff account, so a newcomer sets up one authenticator app.
TOTP_SECRET = "AGORADEMOTOTPSECRETVALBOURGXYZ23"
RECOVERY_SEED = (
    "a9c1e0f3d2b4a6c8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3"
)
DATA = Path(__file__).resolve().parent / "demo_data"

ROLE_LABELS = {
    Role.ADMIN: "administrateur",
    Role.MODERATOR: "modération",
    Role.REVIEWER: "instructeur (service)",
    Role.COUNTER_AGENT: "agent d'accueil",
    Role.ELECTED: "élue",
    None: "habitante",
}
CITIZEN_LABEL = "habitante (idées, soutiens)"

Data = dict[str, Any]


@dataclass
class DemoReport:
    """What load_demo prints: where to go and how to log in."""

    sites: list[tuple[str, str]] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    recovery_codes: dict[str, list[str]] = field(default_factory=dict)


@cache
def demo_data(name: str) -> Data:
    """One file of cms/demo_data/, read once; never change what it returns."""
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def communes() -> list[Data]:
    """The data of each demo commune, in loading order."""
    return [demo_data(slug) for slug in demo_data("agora")["communes"]]


# Accounts ------------------------------------------------------------------------


def account(email: str, pseudonym: str, *, superuser: bool = False) -> User:
    """The demo account of this e-mail (created once), its address verified."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(username=email, email=email, pseudonym=pseudonym)
        user.is_superuser = user.is_staff = superuser
        user.set_password(PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def staff(organisation: Organisation, role: Role) -> User | None:
    """The commune's first account with this role, if any."""
    return (
        User.objects.filter(
            memberships__organisation=organisation, memberships__role=role
        )
        .order_by("pk")
        .first()
    )


def _mfa(user: User, report: DemoReport) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP):
        TOTP.activate(user, TOTP_SECRET)
    codes = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    if codes is None:
        codes = Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": RECOVERY_SEED, "used_mask": 0},
        )
    report.recovery_codes[user.email] = RecoveryCodes(codes).get_unused_codes()


# Communes and staff --------------------------------------------------------------


def grid_outlines(bounds: list[float], count: int) -> list[dict]:
    """Split the bounds into `count` side-by-side rectangles (GeoJSON polygons)."""
    west, south, east, north = bounds
    columns = 2 if count > 2 else count
    rows = (count + columns - 1) // columns
    width, height = (east - west) / columns, (north - south) / rows
    outlines = []
    for index in range(count):
        row, column = divmod(index, columns)
        x0, y0 = round(west + column * width, 6), round(north - (row + 1) * height, 6)
        x1, y1 = round(x0 + width, 6), round(y0 + height, 6)
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        outlines.append({"type": "Polygon", "coordinates": [ring]})
    return outlines


def load_organisations(report: DemoReport) -> None:
    for commune in communes():
        slug, name = commune["slug"], commune["name"]
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            organisation = organisation_create(
                name=name,
                slug=slug,
                hostname=commune["hostname"],
                port=8000,
                is_default_site=commune["default"],
                kind=Organisation.Kind.COMMUNE,
                contact_email=f"participation@{slug}.test",
                address=f"Hôtel de ville, place de la Mairie, {name}",
                dpo_name="Délégué à la protection des données",
                dpo_email=f"dpo@{slug}.test",
                population=commune["population"],
                map_latitude=commune["centre"][0],
                map_longitude=commune["centre"][1],
                map_zoom=14,
                map_bounds=commune["bounds"],
            )
        districts = commune["districts"]
        outlines = grid_outlines(commune["bounds"], len(districts))
        for district, outline in zip(districts, outlines, strict=True):
            District.objects.get_or_create(
                organisation=organisation,
                code=district["code"],
                defaults={"name": district["name"], "outline": outline},
            )
        # Wagtail builds "view live" links from the site's host and port: they
        # are the address `make run` serves (installations loaded earlier kept
        # "localhost", whose links lost the session opened on 127.0.0.1).
        Site.objects.filter(pk=organisation.site_id).update(
            hostname=commune["hostname"], port=8000
        )
        load_pages(organisation)
        report.sites.append((name, f"http://{commune['hostname']}:8000/"))


def load_users(report: DemoReport) -> None:
    operator = demo_data("agora")["operator"]
    _mfa(account(operator["email"], operator["pseudonym"], superuser=True), report)
    report.logins.append((operator["email"], "opérateur de la plateforme", "toutes"))
    for commune in communes():
        organisation = Organisation.objects.get(slug=commune["slug"])
        for entry in commune["users"]:
            role = Role(entry["role"]) if entry["role"] else None
            user = account(entry["email"], entry["pseudonym"])
            if role is not None:
                if not user.memberships.filter(organisation=organisation).exists():
                    membership_set(
                        organisation=organisation, user=user, role=role, actor=None
                    )
                _mfa(user, report)
            report.logins.append((entry["email"], ROLE_LABELS[role], commune["name"]))


# Ideas: a cycle in its ideas phase, published ideas, supports and comments --------


def _schedule(now: datetime) -> list[phases.Period]:
    """Each phase starts the given number of days from today (midnight, local)."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    days = demo_data("agora")["cycle"]["phases_start_in_days"]
    starts = [today + timedelta(days=day) for day in days]
    ends = [*starts[1:], None]
    periods = [
        phases.Period(phase, start, end)
        for phase, start, end in zip(phases.ORDER, starts, ends, strict=True)
    ]
    phases.check_schedule(periods)
    return periods


def _cycle(organisation: Organisation, now: datetime) -> Cycle:
    data = demo_data("agora")["cycle"]
    cycle, _created = Cycle.objects.get_or_create(
        organisation=organisation,
        slug=data["slug"],
        defaults={"title": data["title"], "presentation": data["presentation"]},
    )
    if not cycle.phase_periods.exists():
        for period in _schedule(now):
            CyclePhase.objects.create(
                cycle=cycle,
                phase=period.phase,
                starts_at=period.start,
                ends_at=period.end,
            )
    return cycle


def _point_in(
    district: District | None, draw: random.Random
) -> tuple[float, float] | None:
    """A point (latitude, longitude) inside the district's outline, if it has one."""
    if district is None or not district.outline:
        return None
    shape = geometry.parse_polygon(district.outline)
    west, south, east, north = shape.bounds
    centre = shape.centroid
    for _attempt in range(20):
        lon = centre.x + draw.uniform(-0.35, 0.35) * (east - west)
        lat = centre.y + draw.uniform(-0.35, 0.35) * (north - south)
        if geometry.contains_point(shape, lon, lat):
            return round(lat, 6), round(lon, 6)
    return round(centre.y, 6), round(centre.x, 6)


def _backdated_transition(
    proposal: Proposal,
    *,
    actor: User | None,
    party: str,
    action: workflow.Action,
    when: datetime,
) -> None:
    """One step of an idea's past: its event dated `when`, nobody notified."""
    apply_transition(
        proposal,
        organisation=proposal.organisation,
        actor_id=actor.pk if actor else None,
        party=party,
        action=action,
        now=when,
    )


def _submitted_idea(
    idea: Data,
    *,
    cycle: Cycle,
    theme: Theme,
    district: District | None,
    point: tuple[float, float] | None,
    author: User | None,
    agent: User | None,
    when: datetime,
) -> Proposal:
    """The idea as sent `when`: online by its author, or at the counter (no author)."""
    counter = author is None
    resident = demo_data("agora")["counter_resident"]
    cost = idea.get("cost_euros")
    proposal = Proposal.objects.create(
        organisation=cycle.organisation,
        cycle=cycle,
        author=author,
        title=idea["title"],
        description=idea["description"],
        theme=theme,
        district=district,
        address=idea.get("address", ""),
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        estimated_cost_cents=cost * 100 if cost else None,
        status=workflow.Status.DRAFT,
        channel=Channel.COUNTER if counter else Channel.ONLINE,
        entered_by=agent if counter else None,
        resident_name=resident["name"] if counter else "",
        resident_contact=resident["contact"] if counter else "",
    )
    Proposal.objects.filter(pk=proposal.pk).update(created_at=when)
    _backdated_transition(
        proposal,
        actor=agent if counter else author,
        party=Role.COUNTER_AGENT if counter else "",
        action=workflow.Action.SUBMIT,
        when=when,
    )
    return proposal


def _discussion(
    proposal: Proposal, citizens: list[User], draw: random.Random, when: datetime
) -> None:
    """Supports and comments drawn among the citizens, then the counts."""
    organisation = proposal.organisation
    supporters = draw.sample(citizens, draw.randint(0, len(citizens)))
    Support.objects.bulk_create(
        [
            Support(organisation=organisation, proposal=proposal, user=user)
            for user in supporters
        ]
    )
    bodies = demo_data("agora")["comments"]
    comments = [
        Comment(
            organisation=organisation,
            proposal=proposal,
            author=draw.choice(citizens),
            body=draw.choice(bodies),
            created_at=when + timedelta(hours=3 + n),
        )
        for n in range(draw.randint(0, 3))
    ]
    Comment.objects.bulk_create(comments)
    Proposal.objects.filter(pk=proposal.pk).update(
        support_count=F("support_count") + len(supporters),
        comment_count=F("comment_count") + len(comments),
    )


def _load_ideas(commune: Data, report: DemoReport, now: datetime) -> None:
    organisation = Organisation.objects.filter(slug=commune["slug"]).first()
    if organisation is None:
        return
    draw = random.Random(f"agora-demo-{commune['slug']}")
    cycle = _cycle(organisation, now)
    themes = {}
    for theme in demo_data("agora")["themes"]:
        themes[theme["slug"]], _created = Theme.objects.get_or_create(
            organisation=organisation,
            slug=theme["slug"],
            defaults={"name": theme["name"]},
        )
    citizens = [account(c["email"], c["pseudonym"]) for c in commune["citizens"]]
    report.logins.append((citizens[0].email, CITIZEN_LABEL, organisation.name))
    districts = {d.code: d for d in District.objects.for_organisation(organisation)}
    moderator = staff(organisation, Role.MODERATOR) or staff(organisation, Role.ADMIN)
    agent = staff(organisation, Role.COUNTER_AGENT)
    existing = set(
        Proposal.objects.for_organisation(organisation).values_list("title", flat=True)
    )
    ideas = commune["ideas"]
    for index, idea in enumerate(ideas):
        if idea["title"] in existing:
            continue
        district = districts.get(idea["district"]) if "district" in idea else None
        point = _point_in(district, draw)
        counter = idea.get("channel") == Channel.COUNTER
        created = now - timedelta(days=20 - (index * 19) // len(ideas), hours=index)
        proposal = _submitted_idea(
            idea,
            cycle=cycle,
            theme=themes[idea["theme"]],
            district=district,
            point=point,
            author=None if counter else citizens[index % len(citizens)],
            agent=agent,
            when=created,
        )
        if idea.get("status", workflow.Status.PUBLISHED) != workflow.Status.PUBLISHED:
            continue
        published = created + timedelta(days=1)
        _backdated_transition(
            proposal,
            actor=moderator,
            party=Role.MODERATOR,
            action=workflow.Action.PUBLISH,
            when=published,
        )
        _discussion(proposal, citizens, draw, published)


@transaction.atomic
def load_participation(report: DemoReport) -> None:
    """Cycles, themes, citizens, proposals, supports and comments (idempotent)."""
    now = timezone.now()
    for commune in communes():
        _load_ideas(commune, report, now)


# Moderation, review and projects, through the services ---------------------------


@dataclass(frozen=True)
class _Team:
    """Who moderates and reviews a commune's ideas, and when (`now`)."""

    organisation: Organisation
    admin: User
    moderator: User
    reviewer: User
    now: datetime

    def after(self, proposal: Proposal, days_ago: float) -> datetime:
        """`days_ago` before now, but after the idea's last event."""
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

    def actor(self, user: User) -> Actor:
        """`user` as the services take them: resolved in this commune."""
        return Actor.for_user(user, self.organisation)

    def proposal(self, title: str) -> Proposal | None:
        proposals = Proposal.objects.for_organisation(self.organisation)
        return proposals.filter(title=title).first()


def _moderate(team: _Team, steps: list[Data]) -> None:
    """Each step runs while its idea is still in the status it starts from."""
    for step in steps:
        proposal = team.proposal(step["title"])
        if proposal is None or proposal.status != step["from"]:
            continue
        action = workflow.Action(step["action"])
        actor = team.actor(
            proposal.author if action == workflow.Action.WITHDRAW else team.moderator
        )
        when = team.after(proposal, 6)
        if action == workflow.Action.MERGE:
            proposal_merge(
                organisation=team.organisation,
                proposal_id=proposal.pk,
                into_id=team.proposal(step["into"]).pk,
                actor=actor,
                reason=step["reason"],
                now=when,
            )
            continue
        label = step.get("reason_label", "")  # the English title of a seeded reply
        proposal_transition(
            organisation=team.organisation,
            proposal_id=proposal.pk,
            action=action,
            actor=actor,
            reason=step.get("reason", ""),
            reason_label=gettext(label) if label else "",
            forwarded_to=step.get("forwarded_to", ""),
            now=when,
        )


def _departments(
    team: _Team, entries: list[Data], member: User | None
) -> dict[str, Department]:
    found = {}
    for entry in entries:
        department = Department.objects.for_organisation(team.organisation).filter(
            name=entry["name"]
        )
        found[entry["key"]] = department.first() or department_save(
            organisation=team.organisation,
            name=entry["name"],
            member_ids=[member.pk] if member else [],
            actor=team.actor(team.admin),
        )
    return found


def _study(
    team: _Team, studies: list[Data], departments: dict[str, Department]
) -> None:
    """Send each idea to its department; conclude when `feasible` is given."""
    for study in studies:
        proposal = team.proposal(study["title"])
        if proposal is None:
            continue
        if proposal.status == workflow.Status.PUBLISHED:
            assigned = team.after(proposal, 9)
            review_assign(
                organisation=team.organisation,
                proposal_id=proposal.pk,
                department_id=departments[study["department"]].pk,
                reviewer_id=team.reviewer.pk,
                due_on=timezone.localdate(assigned) + timedelta(days=30),
                actor=team.actor(team.moderator),
                now=assigned,
            )
            proposal.refresh_from_db()
        feasible = study.get("feasible")
        if proposal.status == workflow.Status.UNDER_STUDY and feasible is not None:
            cost = study.get("cost_euros")
            review_complete(
                organisation=team.organisation,
                review_id=proposal.review.pk,
                feasible=feasible,
                cost_cents=cost * 100 if cost else None,
                duration_weeks=study.get("weeks"),
                internal_notes=demo_data("agora")["review_notes"],
                public_explanation=study.get("explanation", ""),
                actor=team.actor(team.reviewer),
                now=team.after(proposal, 4),
            )


def _projects(team: _Team, projects: list[Data]) -> None:
    """A project from feasible ideas, once, with comments from their authors."""
    organisation = team.organisation
    districts = {d.code: d for d in District.objects.for_organisation(organisation)}
    for demo in projects:
        if Project.objects.for_organisation(organisation).filter(title=demo["title"]):
            continue
        proposals = [team.proposal(title) for title in demo["ideas"]]
        if not proposals or any(
            p is None or p.status != workflow.Status.FEASIBLE for p in proposals
        ):
            continue
        district = districts.get(demo["district"]) if demo["district"] else None
        project = project_create(
            organisation=organisation,
            cycle_id=proposals[0].cycle_id,
            proposal_ids=[p.pk for p in proposals],
            data=ProjectInput(
                title=demo["title"],
                description=demo["description"],
                district_id=district.pk if district else None,
                address=demo["address"],
            ),
            actor=team.actor(team.reviewer),
            now=max(team.after(p, 2) for p in proposals),
        )
        authors = [p.author for p in proposals if p.author is not None]
        for index, body in enumerate(demo["comments"]):
            if authors:
                project_comment_post(
                    organisation=organisation,
                    project_id=project.pk,
                    author=team.actor(authors[index % len(authors)]),
                    body=body,
                    now=team.now - timedelta(hours=20 - index),
                )


def _draft(team: _Team, draft: Data) -> None:
    """A citizen's draft, so that every status exists (seen by its author only)."""
    organisation = team.organisation
    author = User.objects.filter(email=draft["author"]).first()
    cycle = Cycle.objects.for_organisation(organisation).order_by("pk").first()
    if author is None or cycle is None or team.proposal(draft["title"]):
        return
    proposal_save_draft(
        organisation=organisation,
        cycle_id=cycle.pk,
        author=author,
        data=ProposalInput(title=draft["title"], description=draft["description"]),
    )


def _review(organisation: Organisation, commune: Data, now: datetime) -> None:
    if not StandardReply.objects.for_organisation(organisation).exists():
        standard_replies_seed(organisation=organisation)
    admin = staff(organisation, Role.ADMIN)
    if admin is None:
        return
    member = staff(organisation, Role.REVIEWER)
    moderator = staff(organisation, Role.MODERATOR) or admin
    team = _Team(organisation, admin, moderator, member or admin, now)
    _moderate(team, commune.get("moderation", []))
    departments = _departments(team, commune.get("departments", []), member)
    _study(team, commune.get("studies", []), departments)
    _projects(team, commune.get("projects", []))
    if "draft" in commune:
        _draft(team, commune["draft"])


@transaction.atomic
def load_review(report: DemoReport) -> None:
    """Moderation outcomes, studies, projects and a draft (idempotent).

    Runs after `load_participation`: a step only runs while its idea is still in
    the status it starts from, and a project is only created once.
    """
    now = timezone.now()
    for commune in communes():
        organisation = Organisation.objects.filter(slug=commune["slug"]).first()
        if organisation is not None:
            _review(organisation, commune, now)


LOADERS: list[Callable[[DemoReport], None]] = [
    load_organisations,
    load_users,
    load_participation,
    load_review,
]


@transaction.atomic
def load(report: DemoReport | None = None) -> DemoReport:
    """Run every demo loader (idempotent) and return what to print."""
    report = report or DemoReport()
    for loader in LOADERS:
        loader(report)
    return report
