from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Full-text search with Indonesian stemming, for other apps to index and query."""

    name = "terbuka.search"
