"""Wagtail admin for per-organisation data: the organisation itself; the page tree
and menus each commune's editors see.

Every screen reads through cms.selectors, scoped to the host's organisation: the
administrator of one commune never lists, opens nor changes another's rows (404).
Districts are edited in one place, the back office (/gestion/quartiers/), which
the admin menu links to.
"""

import copy

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from carte.models import Membership, Organisation, User
from carte.roles import Role
from cms import selectors
from cms.forms import OrganisationCreateForm
from cms.services import organisation_create


class CommuneAdminPolicy(BasePermissionPolicy):
    """The operator (superuser) may do `operator_actions` on every row; a commune
    administrator `admin_actions`, on the rows of the organisations they administer.

    Which rows a screen shows is decided by cms.selectors from the request.
    """

    def __init__(self, model, *, operator_actions, admin_actions, organisation_of):
        super().__init__(model)
        self.operator_actions = frozenset(operator_actions)
        self.admin_actions = frozenset(admin_actions)
        self.organisation_of = organisation_of  # instance -> organisation id

    @staticmethod
    def _administered(user) -> frozenset[int]:
        """Ids of the organisations the user administers, once per request user
        (the admin asks for each row's buttons)."""
        ids = getattr(user, "_agora_administered_ids", None)
        if ids is None:
            ids = frozenset(
                Membership.objects.filter(user=user, role=Role.ADMIN).values_list(
                    "organisation_id", flat=True
                )
            )
            user._agora_administered_ids = ids
        return ids

    def user_has_permission(self, user, action):
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return action in self.operator_actions
        return action in self.admin_actions and bool(self._administered(user))

    def user_has_permission_for_instance(self, user, action, instance):
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return action in self.operator_actions
        return action in self.admin_actions and self.organisation_of(
            instance
        ) in self._administered(user)

    def users_with_any_permission(self, actions):
        actions = set(actions)
        query = Q(is_superuser=True) if actions & self.operator_actions else Q(pk=None)
        if actions & self.admin_actions:
            query |= Q(memberships__role=Role.ADMIN)
        return User.objects.filter(query, is_active=True).distinct()


register_permission_policy(
    Organisation,
    CommuneAdminPolicy(
        Organisation,
        # Organisations own a site and every row of the commune: never deleted here.
        operator_actions={"add", "change"},
        admin_actions={"change"},
        organisation_of=lambda organisation: organisation.pk,
    ),
)


def _organisations(request):
    return selectors.organisations_for_admin(
        actor=request.actor, organisation=request.organisation
    )


class ScopedMixin:
    """A view reading its rows through `scope(request)`, given by the viewset;
    each view names, by its own hook, the queryset `scoped` gives."""

    scope = None

    def scoped(self):
        return self.scope(self.request)


class ScopedIndexView(ScopedMixin, generic.IndexView):
    get_base_queryset = ScopedMixin.scoped


class ScopedCreateView(ScopedMixin, generic.CreateView):
    pass


class ScopedEditView(ScopedMixin, generic.EditView):
    get_queryset = ScopedMixin.scoped


class ScopedDeleteView(ScopedMixin, generic.DeleteView):
    get_queryset = ScopedMixin.scoped


class ScopedHistoryView(ScopedMixin, history.HistoryView):
    get_base_object_queryset = ScopedMixin.scoped


class ScopedUsageView(ScopedMixin, usage.UsageView):
    get_base_object_queryset = ScopedMixin.scoped


class ScopedViewSet(ModelViewSet):
    """A model viewset whose every screen reads through `scope(request)`."""

    scope = None
    search_fields = None
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scope=type(self).scope, **kwargs)


ORGANISATION_PANELS = (
    MultiFieldPanel(
        [
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("insee_code"),
            FieldPanel("population"),
        ],
        heading=_("Identity"),
    ),
    MultiFieldPanel(
        [FieldPanel("logo"), FieldPanel("primary_colour")], heading=_("Appearance")
    ),
    MultiFieldPanel(
        [
            FieldPanel("address"),
            FieldPanel("contact_email"),
            FieldPanel("contact_phone"),
            FieldPanel("dpo_name"),
            FieldPanel("dpo_email"),
        ],
        heading=_("Contact details (shown on the legal pages)"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("map_latitude"),
            FieldPanel("map_longitude"),
            FieldPanel("map_zoom"),
            FieldPanel("map_bounds"),
            FieldPanel("tile_url"),
            FieldPanel("tile_attribution"),
        ],
        heading=_("Map"),
    ),
)


class OrganisationCreateView(ScopedCreateView):
    """Creates the organisation with its site and home page (cms.services)."""

    def save_instance(self):
        data = dict(self.form.cleaned_data)
        organisation = organisation_create(
            name=data.pop("name"),
            slug=data.pop("slug"),
            hostname=data.pop("hostname"),
            **data,
        )
        log(instance=organisation, action="wagtail.create", user=self.request.user)
        return organisation


class OrganisationViewSet(ScopedViewSet):
    model = Organisation
    scope = staticmethod(_organisations)
    icon = "site"
    menu_label = _("Organisation")
    list_display = ("name", "insee_code", "kind")
    add_view_class = OrganisationCreateView
    panels = ORGANISATION_PANELS
    create_panels = (
        MultiFieldPanel(
            [FieldPanel("slug"), FieldPanel("hostname")], heading=_("Site address")
        ),
        *ORGANISATION_PANELS,
    )

    def get_add_view_kwargs(self, **kwargs):
        handler = ObjectList(
            self.create_panels, base_form_class=OrganisationCreateForm
        ).bind_to_model(self.model)
        return super().get_add_view_kwargs(
            panel=handler, form_class=handler.get_form_class(), **kwargs
        )


class CommuneViewSetGroup(ModelViewSetGroup):
    menu_label = _("Territory")
    menu_icon = "home"
    menu_order = 150
    items = (OrganisationViewSet("organisation"),)


@hooks.register("register_admin_viewset")
def register_commune_viewsets():
    return CommuneViewSetGroup()


class DistrictsMenuItem(MenuItem):
    """A link to the districts' one editing place, for the commune's administrators."""

    def is_shown(self, request):
        return request.organisation is not None and request.actor.role == Role.ADMIN


@hooks.register("register_admin_menu_item")
def register_districts_link():
    return DistrictsMenuItem(
        _("Districts"),
        reverse("carte:district-list"),
        icon_name="globe",
        name="districts",
        order=160,
    )


@hooks.register("construct_page_chooser_queryset")
def pages_to_choose(pages, request):
    """An editor chooses among the pages of their commune only."""
    return selectors.pages_within_reach(pages, user=request.user)


@hooks.register("construct_explorer_page_queryset")
def pages_to_explore(parent_page, pages, request):
    """An editor browses the pages of their commune only."""
    return selectors.pages_within_reach(pages, user=request.user)


@hooks.register("construct_main_menu")
def rename_or_hide_reports(request, menu_items):
    """Wagtail's "Reports" reads "Signalements" in French, Agora's word for the
    residents' reports of content: the operator sees it as the pages' reports, a
    commune's editors (who have no use for it) not at all."""
    for index, item in enumerate(menu_items):
        if item.name == "reports":
            if request.user.is_superuser:
                renamed = copy.copy(item)
                renamed.label = _("Page reports")
                menu_items[index] = renamed
            else:
                del menu_items[index]
            return
