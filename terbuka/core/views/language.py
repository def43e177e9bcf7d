from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from terbuka.core.i18n import SUPPORTED


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Set the language cookie; a signed-in staff member also keeps it as their preference
    (notifications to them go out in that language)."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if language in SUPPORTED and user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response
