from django.urls import path

from emporos.portal import (
    feedback_views,
    help_views,
    returns_views,
    support_chat_views,
    support_survey_views,
    support_views,
    views,
)

app_name = "portal"

urlpatterns = [
    path("downloads/<str:signed>/", views.download, name="download"),
    path("status/", views.order_lookup, name="order_lookup"),
    path("status/<str:token>/", views.order_status, name="order_status"),
    path("status/<str:token>/return/", returns_views.return_start, name="return_start"),
    path("status/<str:token>/withdraw/", returns_views.withdraw, name="withdraw"),
    path("status/<str:token>/contact/", support_views.order_contact, name="order_contact"),
    path("status/<str:token>/chat/", support_chat_views.order_chat, name="order_chat"),
    path("return/<str:token>/", returns_views.return_page, name="return_page"),
    path("return/<str:token>/label.pdf", returns_views.return_label, name="return_label"),
    path("help/", help_views.help_home, name="help"),
    path("help/search/", help_views.help_search, name="help_search"),
    path("help/suggest/", help_views.help_suggest, name="help_suggest"),
    path("help/<str:language>/<str:slug>/", help_views.help_article, name="help_article"),
    path("help/<str:language>/<str:slug>/vote/", help_views.help_vote, name="help_vote"),
    path("contact/", support_views.public_contact, name="public_contact"),
    path("contact/thanks/<str:token>/", support_views.contact_thanks, name="contact_thanks"),
    path("support/rate/<str:token>/", support_survey_views.ticket_survey, name="ticket_survey"),
    path("feedback/<str:token>/", feedback_views.feedback, name="feedback"),
]
