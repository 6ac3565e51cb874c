from django.urls import path

from emporos.portal import feedback_views, returns_views, views

app_name = "portal"

urlpatterns = [
    path("downloads/<str:signed>/", views.download, name="download"),
    path("status/", views.order_lookup, name="order_lookup"),
    path("status/<str:token>/", views.order_status, name="order_status"),
    path("status/<str:token>/return/", returns_views.return_start, name="return_start"),
    path("status/<str:token>/withdraw/", returns_views.withdraw, name="withdraw"),
    path("return/<str:token>/", returns_views.return_page, name="return_page"),
    path("return/<str:token>/label.pdf", returns_views.return_label, name="return_label"),
    path("feedback/<str:token>/", feedback_views.feedback, name="feedback"),
]
