"""A citizen's profile in the commune: the district they live in."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from carte import selectors
from carte.forms.accounts import ProfileForm
from carte.http import form_page, organisation_or_404
from carte.services import accounts


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    district_id = selectors.residence_district_id(
        organisation=organisation, user=request.user
    )
    form = ProfileForm(
        request.POST or None,
        organisation=organisation,
        initial={"district": district_id},
    )
    return form_page(
        request,
        form,
        lambda data: accounts.residence_set(
            organisation=organisation, user=request.user, district=data["district"]
        ),
        "carte/profile_edit.html",
        success=_("Your profile has been saved."),
        next_url="profile-edit",
    )
