from django.urls import path

from deadlines import calendar_views, views

app_name = "deadlines"

urlpatterns = [
    path("deadlines/", views.my_deadlines, name="mine"),
    path("deadlines/<int:pk>/", views.deadline_detail, name="detail"),
    path("deadlines/<int:pk>/waive/", views.waive_deadline, name="waive"),
    path("deadlines/<int:pk>/done/", views.complete_action, name="done"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.open_notification, name="open-notification"),
    path("notifications/read/", views.mark_all_read, name="mark-all-read"),
    path("operations/", views.operations, name="operations"),
    path("operations/<int:pk>/retry/", views.retry_notification, name="retry"),
    path("term-dates/", calendar_views.term_dates, name="term-dates"),
    path("term-dates/<int:year>/<slug:name>/", calendar_views.edit_term, name="edit-term"),
    path("term-dates/own-dates/", calendar_views.use_own_dates, name="use-own-dates"),
    path("term-dates/inset-days/", calendar_views.add_inset_day, name="add-inset-day"),
    path(
        "term-dates/inset-days/<int:pk>/remove/",
        calendar_views.remove_inset_day,
        name="remove-inset-day",
    ),
]
