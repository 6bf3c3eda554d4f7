"""Back office: the commune's city services and their members."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from budget import permissions, selectors
from budget.forms.departments import DepartmentForm
from budget.models import Department
from budget.services import departments
from carte.http import backoffice_or_403, form_page, scoped_or_404


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    organisation = backoffice_or_403(request, permissions.can_manage_departments)
    return render(
        request,
        "budget/department_list.html",
        {"departments": selectors.departments_for_list(organisation)},
    )


@login_required
def department_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = backoffice_or_403(request, permissions.can_manage_departments)
    department = (
        None
        if pk is None
        else scoped_or_404(Department.objects.for_organisation(organisation), pk)
    )
    form = DepartmentForm(
        request.POST or None,
        organisation=organisation,
        initial=DepartmentForm.initial_for(department),
    )
    return form_page(
        request,
        form,
        lambda data: departments.department_save(
            organisation=organisation,
            department_id=department.pk if department else None,
            name=data["name"],
            member_ids=[user.pk for user in data["members"]],
            actor=request.actor,
        ),
        "budget/department_form.html",
        {"department": department},
        success=_("The service has been saved."),
        next_url="budget:department-list",
    )
