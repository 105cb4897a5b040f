from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("prefectures/", views.prefecture_list, name="prefecture_list"),
    path("prefectures/<str:code>/", views.prefecture_detail, name="prefecture"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("notices/<slug:slug>/", views.notice_detail, name="notice"),
    path("notices/<slug:notice_slug>/<slug:slug>/", views.tier_detail, name="tier"),
]
