from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("psp/new/<int:pupil_pk>/", views.new_psp, name="new-psp"),
    path("psp/<int:pk>/", views.psp_detail, name="psp"),
    path("psp/<int:pk>/targets/new/", views.new_target, name="new-target"),
    path("psp/<int:pk>/reviews/new/", views.new_review, name="new-review"),
    path("psp/<int:pk>/download.<str:fmt>", views.psp_download, name="psp-download"),
    path("bip/<int:pk>/", views.bip_detail, name="bip"),
    path("bip/<int:pk>/download.<str:fmt>", views.bip_download, name="bip-download"),
    path("bip/<int:pk>/review/", views.review_bip, name="review-bip"),
    path("timetables/new/<int:pupil_pk>/", views.new_timetable, name="new-timetable"),
    path("timetables/monitoring/", views.monitoring, name="monitoring"),
    path("timetables/<int:pk>/", views.timetable_detail, name="timetable"),
    path("timetables/<int:pk>/review/", views.review_timetable, name="review-timetable"),
    path("timetables/<int:pk>/extend/", views.extend_timetable, name="extend-timetable"),
    path("timetables/<int:pk>/full-time/", views.back_to_full_time, name="full-time"),
    path(
        "timetables/<int:pk>/download.<str:fmt>",
        views.timetable_download,
        name="timetable-download",
    ),
    path("risk-assessments/new/<int:pupil_pk>/", views.new_risk_assessment, name="new-risk"),
    path("risk-assessments/<int:pk>/", views.risk_assessment_detail, name="risk-assessment"),
    path(
        "risk-assessments/<int:pk>/download.<str:fmt>",
        views.risk_assessment_download,
        name="risk-download",
    ),
    path("peps/", views.peps_this_term, name="peps"),
    path("peps/new/<int:pupil_pk>/", views.new_pep, name="new-pep"),
]
