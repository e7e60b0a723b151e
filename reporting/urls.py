from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("services/", views.service_dashboard, name="services"),
    path("services.json", views.service_json, name="services-json"),
    path("services/report.pdf", views.service_pdf, name="services-pdf"),
    path("exclusions/", views.exclusion_dashboard, name="exclusions"),
    path("<slug:report_name>/records/<slug:key>/", views.drill, name="drill"),
    path("<slug:report_name>/export/<slug:table>.<str:fmt>", views.export, name="export"),
]
