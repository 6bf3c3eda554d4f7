"""Browser tests of the review and project pages: axe, and the keyboard (issue 6)."""

from django.utils import timezone
from playwright.sync_api import Page, expect

from budget.models import Review
from carte.roles import Role
from tests import factories
from tests.browser.conftest import logged_in, tab_to


def staff_page(new_context, live_server, organisation, role) -> tuple[Page, object]:
    """A page of a staff member with two-step verification, and the account."""
    user = factories.staff_member(organisation, role)
    return logged_in(new_context, live_server, user, bypass_csp=True), user


def click_and_wait(page: Page, button: str) -> None:
    """Click the button named `button` and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def open_review(organisation, reviewer, **fields) -> Review:
    cycle = factories.CycleFactory(organisation=organisation)
    department = factories.DepartmentFactory(organisation=organisation, name="Voirie")
    department.members.add(reviewer)
    return factories.ReviewFactory(
        proposal__cycle=cycle,
        proposal__title="Réparer le trottoir",
        department=department,
        **fields,
    )


def test_the_worklist_and_the_instruction_form_have_no_violation(
    live_organisation, new_context, live_server, axe
):
    page, reviewer = staff_page(
        new_context, live_server, live_organisation, Role.REVIEWER
    )
    review = open_review(
        live_organisation,
        reviewer,
        due_on=timezone.localdate() - timezone.timedelta(days=1),
    )
    assert page.goto("/gestion/instruction/").status == 200
    expect(page.get_by_text("En retard")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Réparer le trottoir").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Réparer le trottoir")
    axe(page)
    # An error: the summary and the fields stay accessible.
    page.get_by_label("Oui, elle est réalisable").check()
    page.get_by_label("Coût estimé en euros").fill("beaucoup")
    click_and_wait(page, "Enregistrer l’étude")
    expect(page.locator(".error-summary")).to_contain_text(
        "Indiquez un montant en euros, par exemple 1 500."
    )
    axe(page)
    review.refresh_from_db()
    assert review.completed_at is None


def test_a_reviewer_completes_a_study_with_the_keyboard_only(
    live_organisation, new_context, live_server
):
    page, reviewer = staff_page(
        new_context, live_server, live_organisation, Role.REVIEWER
    )
    review = open_review(live_organisation, reviewer)
    page.goto(f"/gestion/instruction/{review.pk}/")
    tab_to(page, "#id_feasible_0", limit=80)
    page.keyboard.press("Space")
    tab_to(page, "#id_cost", limit=80)
    page.keyboard.type("12 500,50")
    tab_to(page, "#id_duration_weeks", limit=80)
    page.keyboard.type("6")
    tab_to(page, "#id_public_explanation", limit=80)
    page.keyboard.type("Faisable par la voirie.")
    tab_to(page, "main button[type='submit']", limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Études à faire")
    review.refresh_from_db()
    assert review.cost_cents == 1_250_050 and review.duration_weeks == 6
    assert review.proposal.status == "feasible"


def test_the_project_page_and_the_validation_page_have_no_violation(
    live_organisation, new_context, live_server, axe
):
    # The list put to the vote is decided in the review phase.
    cycle = factories.CycleFactory(organisation=live_organisation, phase="review")
    proposal = factories.ProposalFactory(
        cycle=cycle, status="grouped", title="Des bancs"
    )
    project = factories.ProjectFactory(cycle=cycle, title="Square des Tilleuls")
    project.proposals.add(proposal)
    factories.ProjectCommentFactory(project=project, author=proposal.author)
    factories.ProjectCommentFactory(project=project)
    page, _elected = staff_page(
        new_context, live_server, live_organisation, Role.ELECTED
    )
    assert page.goto(project.get_absolute_url()).status == 200
    expect(page.get_by_text("auteur d’une idée regroupée")).to_have_count(1)
    axe(page)
    assert page.goto("/projets/").status == 200
    axe(page)
    assert page.goto("/gestion/projets/validation/").status == 200
    axe(page)
    page.get_by_label("Écarter").check()
    click_and_wait(page, "Vérifier la liste avant de la valider")
    expect(page.locator(".error-summary")).to_be_visible()
    axe(page)
    page.get_by_label("Motif public si le projet est écarté").fill("Trop cher.")
    click_and_wait(page, "Vérifier la liste avant de la valider")
    expect(page.get_by_text("Rien n’est encore enregistré")).to_be_visible()
    axe(page)
    click_and_wait(page, "Confirmer et publier la liste")
    expect(page.get_by_text("Liste validée le")).to_be_visible()
    axe(page)
    project.refresh_from_db()
    assert project.status == "set_aside"


def test_a_moderator_hides_a_project_comment_from_the_page(
    live_organisation, new_context, live_server, axe
):
    cycle = factories.CycleFactory(organisation=live_organisation)
    project = factories.ProjectFactory(cycle=cycle, title="Square des Tilleuls")
    comment = factories.ProjectCommentFactory(project=project, body="Un avis déplacé")
    page, _moderator = staff_page(
        new_context, live_server, live_organisation, Role.MODERATOR
    )
    assert page.goto(project.get_absolute_url()).status == 200
    axe(page)
    page.get_by_label("Raison du masquage").fill("Propos injurieux")
    page.locator(f"#confirmer-masquage-{comment.pk}").check()
    click_and_wait(page, "Masquer ce commentaire")
    expect(page.get_by_text("Masqué par la modération")).to_be_visible()
    axe(page)
    comment.refresh_from_db()
    assert comment.hidden_reason == "Propos injurieux"
