from django.urls import path

from pupils import views

app_name = "pupils"

urlpatterns = [
    path("pupils/", views.pupil_search, name="search"),
    path("pupils/<int:pk>/", views.pupil_detail, name="detail"),
    path("pupils/<int:pk>/sen/", views.record_sen, name="record-sen"),
    path("pupils/care/", views.find_child_for_care, name="find-for-care"),
    path("pupils/<int:pk>/care/", views.record_care, name="record-care"),
    path("pupils/cohort/<slug:which>/", views.cohort, name="cohort"),
    path("schools/", views.school_list, name="school-list"),
    path("pupils/duplicates/", views.duplicates, name="duplicates"),
    path("pupils/<int:pk>/merge/<int:other>/", views.merge, name="merge"),
    path("pupils/merges/<int:pk>/undo/", views.undo_merge, name="undo-merge"),
    path("imports/looked-after/", views.import_looked_after, name="import-looked-after"),
    path("imports/transfer-file/", views.import_transfer_file, name="import-transfer-file"),
    path("imports/<int:pk>/", views.import_job, name="import"),
    path("imports/<int:pk>/lines/<int:line>/", views.confirm_match, name="import-confirm"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
]
