from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from carte.views import site
from participation.urls import claims as participation_claims
from participation.urls import comments as participation_comments
from participation.urls import cycles as participation_cycles
from participation.urls import follows as participation_follows
from participation.urls import merging as participation_merging
from participation.urls import moderation as participation_moderation
from participation.urls import notifications as participation_notifications
from participation.urls import proposals as participation_proposals
from participation.urls import reports as participation_reports
from participation.urls import supports as participation_supports

urlpatterns = [
    path("healthz", site.healthz, name="healthz"),
    path("theme.css", site.theme_css, name="theme-css"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("compte/", include("allauth.urls")),
    path("compte/", include("carte.urls.accounts")),
    path("gestion/", include("carte.urls.backoffice")),
    path("langue/", site.language_set, name="language-set"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Participation: one namespace assembled from each feature's routes.
urlpatterns += [
    path(
        "",
        include(
            (
                [
                    *participation_cycles.urlpatterns,
                    *participation_proposals.urlpatterns,
                    *participation_supports.urlpatterns,
                    *participation_comments.urlpatterns,
                    *participation_reports.urlpatterns,
                    *participation_follows.urlpatterns,
                    *participation_notifications.urlpatterns,
                    *participation_moderation.urlpatterns,
                    *participation_merging.urlpatterns,
                    *participation_claims.urlpatterns,
                ],
                "participation",
            )
        ),
    )
]
# Review, projects and the list put to the vote.
urlpatterns += [path("", include("budget.urls"))]

# Wagtail serves the pages of each organisation's site: keep it last.
urlpatterns += [path("", include(wagtail_urls))]

# Maps and geography: public map services, before Wagtail's catch-all;
# the map sandbox for browser tests only when AGORA_TESTING_URLS is set.
urlpatterns.insert(-1, path("carte/", include("carte.urls.maps")))
if getattr(settings, "AGORA_TESTING_URLS", False):
    urlpatterns.insert(-1, path("test/", include("carte.urls.testing")))

# Accounts: Wagtail's own login form would skip allauth's two-step stage,
# so its address leads to ours (keeping ?next=).
urlpatterns.insert(
    0,
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
)
