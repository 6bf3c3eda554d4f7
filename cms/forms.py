"""Wagtail admin forms for the organisation and its districts."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Site

from carte.models import District


class OrganisationCreateForm(WagtailAdminModelForm):
    """A new organisation also needs the host name its site answers on."""

    hostname = forms.CharField(
        label=_("host name"),
        max_length=255,
        help_text=_("The address of the commune's site, without https://."),
    )

    def clean_hostname(self):
        hostname = self.cleaned_data["hostname"].strip().lower()
        if hostname.startswith(("http://", "https://")) or "/" in hostname:
            raise forms.ValidationError(
                _("Give the host name only, for example budget.villeneuve.fr."),
                code="not_a_hostname",
            )
        if Site.objects.filter(hostname=hostname).exists():
            raise forms.ValidationError(
                _("Another site already answers on this host name."),
                code="hostname_taken",
            )
        return hostname


class DistrictForm(WagtailAdminModelForm):
    """The organisation is the host's, set by the view before validation."""

    def clean_code(self):
        code = self.cleaned_data["code"]
        # The (organisation, code) constraint is skipped by ModelForm, since the
        # organisation is not a field of the form: check it here.
        taken = (
            District.objects.filter(organisation_id=self.instance.organisation_id)
            .filter(code=code)
            .exclude(pk=self.instance.pk)
        )
        if taken.exists():
            raise forms.ValidationError(
                _("Another district of the organisation already has this code."),
                code="code_taken",
            )
        return code
