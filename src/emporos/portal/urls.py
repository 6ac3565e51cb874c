from django.urls import path

from emporos.portal import views

app_name = "portal"

urlpatterns = [
    path("downloads/<str:signed>/", views.download, name="download"),
    path("status/", views.order_lookup, name="order_lookup"),
    path("status/<str:token>/", views.order_status, name="order_status"),
]
