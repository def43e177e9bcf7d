"""Language choice: Indonesian unless the person chose English.

Django's own LocaleMiddleware follows the browser's Accept-Language header; many phones and
office computers in Indonesia are set to English, and the public service speaks Indonesian
first. Here the language comes only from an explicit choice: the language cookie set by the
switch, or a signed-in staff member's saved preference.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def chosen_language(request: HttpRequest) -> str:
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code not in SUPPORTED:
        user = getattr(request, "user", None)
        code = getattr(user, "language", None) if user and user.is_authenticated else None
    return code if code in SUPPORTED else settings.LANGUAGE_CODE


class LocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
