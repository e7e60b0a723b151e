from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("allocate/<int:referral_pk>/", views.allocate, name="allocate"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/contacts/new/", views.record_contact, name="record-contact"),
]
