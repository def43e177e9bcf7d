from django.urls import path

from terbuka.portal.views import public

app_name = "portal"
urlpatterns = [
    path("", public.home, name="home"),
    path("tentang/", public.about, name="about"),
    path("kontak/", public.contact, name="contact"),
]
