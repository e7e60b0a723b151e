from django.urls import path

from referrals import screening_views, views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("start/", views.start, name="start"),
    path("from-a-parent/", views.from_a_parent, name="from-a-parent"),
    path("start/new-pupil/", views.new_pupil, name="new-pupil"),
    path("start/<int:pupil_pk>/", views.choose_type, name="choose-type"),
    path("screening/", screening_views.queue, name="queue"),
    path("awaiting-allocation/", screening_views.awaiting_allocation, name="awaiting"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tasks/", views.tasks, name="tasks"),
    path("<int:pk>/start-suggested/", views.start_suggested, name="start-suggested"),
    path("<int:pk>/answers/<slug:slug>/", views.section, name="section"),
    path("<int:pk>/check/", views.check_answers, name="check"),
    path("<int:pk>/submitted/", views.submitted, name="submitted"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/screen/", screening_views.screen, name="screen"),
    path("<int:pk>/take/", screening_views.take, name="take"),
    path("<int:pk>/documents/<int:attachment_pk>/", views.document, name="document"),
    path(
        "<int:pk>/documents/<int:attachment_pk>/remove/",
        views.remove_document,
        name="remove-document",
    ),
]
