from django.urls import path, re_path

from awards import views

app_name = "awards"

urlpatterns = [
    path("prefectures/", views.prefecture_list, name="prefecture_list"),
    # GB/T 2260 codes are six digits; anything else (a NUL byte too) is a plain 404, never a database error.
    re_path(r"^prefectures/(?P<code>[0-9]{6})/$", views.prefecture_detail, name="prefecture"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("notices/<slug:slug>/", views.notice_detail, name="notice"),
    path("notices/<slug:notice_slug>/<slug:slug>/", views.tier_detail, name="tier"),
]
