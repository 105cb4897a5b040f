from django.urls import path

from cases import downloads, views
from cases.feedback import views as feedback_views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="list"),
    path("cases/<slug:slug>/", views.case_detail, name="detail"),
    path("cases/<slug:slug>.docx", downloads.case_docx, name="docx"),
    path("cases/<slug:slug>/feedback/", feedback_views.feedback, name="case_feedback"),
    path("feedback/", feedback_views.feedback, name="feedback"),
    path("feedback/sent/", feedback_views.feedback_sent, name="feedback_sent"),
    path("notices/<slug:slug>/source.txt", downloads.notice_source, name="notice_source"),
    path("preferences/", views.set_preferences, name="preferences"),
    # The address of the text-size switch before it also set the contrast; pages cached then post here.
    path("preferences/text-size/", views.set_preferences, name="text_size"),
]
