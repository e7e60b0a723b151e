from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("team/", views.team, name="team"),
    path("allocate/<int:referral_pk>/", views.allocate, name="allocate"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/contacts/new/", views.record_contact, name="record-contact"),
    path("<int:pk>/actions/new/", views.agree_action, name="agree-action"),
    path("<int:pk>/meetings/new/", views.record_meeting, name="record-meeting"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/reallocate/", views.reallocate, name="reallocate"),
    path("<int:pk>/evaluation/", views.evaluate, name="evaluate"),
    path("<int:pk>/bip/", views.write_bip, name="write-bip"),
]
