"""Wagtail admin forms for the organisation."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Site


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
