from django.urls import path

from empathy import views

app_name = "empathy"

urlpatterns = [
    path("coach/", views.coach, name="coach"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.csv", views.export_csv, name="export"),
    path("dashboard/calibration/<int:team_id>/", views.calibrate, name="calibrate"),
    path("reflect/<int:ticket_id>/", views.reflect, name="reflect"),
    path("review/<int:score_id>/", views.review, name="review"),
    path("me/", views.my_empathy, name="mine"),
    path("feedback/<int:review_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
