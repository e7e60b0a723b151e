from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("access-log/", views.access_log, name="access-log"),
    path("subject-access/", views.subject_access, name="subject-access"),
    path("erasure/", views.erasure, name="erasure"),
]
