from django.urls import path

from terbuka.information_requests.views import account, public

app_name = "information_requests"
urlpatterns = [
    path("", public.request_form, name="form"),
    path("terdaftar/<str:token>/", public.receipt, name="receipt"),
    path("tanda-bukti/<str:token>.pdf", public.receipt_download, name="receipt_pdf"),
    path("saya/", account.mine, name="mine"),
    path("saya/<str:token>/", account.mine_list, name="mine_list"),
    path("lacak/<str:token>/", public.track, name="track"),
    path("lacak/<str:token>/unduh/<str:signature>/", public.download, name="download"),
    path("lacak/<str:token>/keberatan/", public.objection_file, name="objection"),
    path(
        "lacak/<str:token>/keberatan/<int:objection_id>/tanggapan/",
        public.objection_react,
        name="objection_react",
    ),
    path(
        "lacak/<str:token>/keberatan/<int:objection_id>/sengketa/",
        public.dispute_record,
        name="dispute",
    ),
]
