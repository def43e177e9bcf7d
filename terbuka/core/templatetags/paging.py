"""``{% page_query number %}``: the current query string with another page number, so that a
list's page links keep its filters."""

from __future__ import annotations

from django import template

register = template.Library()

PAGE_PARAMETER = "halaman"


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, number: int) -> str:
    params = context["request"].GET.copy()
    params[PAGE_PARAMETER] = str(number)
    return str(params.urlencode())
