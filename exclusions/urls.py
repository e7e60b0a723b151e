from django.urls import path

from exclusions import views

app_name = "exclusions"

urlpatterns = [
    path("", views.register, name="register"),
    path("record-for-a-school/", views.record_for_school, name="record-for-school"),
    path("notify/<int:pupil_pk>/", views.notify, name="notify"),
    path("notify/<int:pupil_pk>/check/", views.notice_check, name="notice-check"),
    path("notify/<int:pupil_pk>/<slug:slug>/", views.notice_question, name="notice-question"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/parents-ask/", views.parents_ask, name="parents-ask"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/review-application/", views.review_application, name="review-application"),
    path("<int:pk>/panel/", views.panel, name="panel"),
    path("<int:pk>/reconsider/", views.reconsider, name="reconsider"),
    path("<int:pk>/provision/", views.provision, name="provision"),
    path("<int:pk>/off-roll/", views.off_roll, name="off-roll"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/reintegrate/", views.reintegrate, name="reintegrate"),
    path("<int:pk>/work-set/", views.work_set, name="work-set"),
    path("<int:pk>/letters/<slug:situation>/", views.letter, name="letter"),
    path(
        "<int:pk>/letters/<slug:situation>/<str:fmt>/",
        views.letter_download,
        name="letter-download",
    ),
    path("letter-settings/", views.letter_settings, name="letter-settings"),
    path("letter-templates/", views.letter_templates, name="letter-templates"),
    path(
        "letter-templates/<slug:situation>/new/",
        views.new_letter_version,
        name="new-letter-version",
    ),
]
