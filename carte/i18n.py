"""Language from the session (set by carte.views.site.language_set), else the
browser's."""

from django.middleware.locale import LocaleMiddleware
from django.utils import translation

LANGUAGE_SESSION_KEY = "agora_language"


class SessionLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        language = request.session.get(LANGUAGE_SESSION_KEY)
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        else:
            super().process_request(request)
