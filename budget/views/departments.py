"""Back office: the commune's city services and their members."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from budget import permissions, selectors
from budget.forms.departments import DepartmentForm
from budget.models import Department
from budget.services import departments
from carte.http import backoffice_view, form_page
from carte.models import Organisation


@backoffice_view(permissions.can_manage_departments)
def department_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "budget/department_list.html",
        {"departments": selectors.departments_for_list(organisation)},
    )


@backoffice_view(
    permissions.can_manage_departments, rows=selectors.departments_for_edit
)
def department_edit(
    request: HttpRequest, organisation: Organisation, department: Department | None
) -> HttpResponse:
    form = DepartmentForm.for_row(request, department, organisation=organisation)

    def save(data: dict) -> Department:
        return departments.department_save(
            organisation=organisation,
            department_id=department.pk if department else None,
            name=data["name"],
            member_ids=[user.pk for user in data["members"]],
            actor=request.actor,
        )

    return form_page(
        request,
        form,
        save,
        "budget/department_form.html",
        {"department": department},
        success=_("The service has been saved."),
        next_url="budget:department-list",
    )
