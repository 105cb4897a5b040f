from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="list"),
    path("cases/<slug:slug>/", views.case_detail, name="detail"),
    path("preferences/text-size/", views.set_text_size, name="text_size"),
]
