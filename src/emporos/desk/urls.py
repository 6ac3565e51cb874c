"""The order desk's pages. Every action posts to the same service the API calls."""

from django.urls import path

from emporos.desk.views import account, customers, inventory, order, orders, queue, shop_settings

app_name = "desk"

urlpatterns = [
    path("", queue.queue_page, name="queue"),
    path("sign-in/", account.SignInView.as_view(), name="login"),
    path("sign-out/", account.SignOutView.as_view(), name="logout"),
    path("password-reset/", account.ResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", account.ResetSentView.as_view(), name="password_reset_sent"),
    path("password-reset/<uidb64>/<token>/", account.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", account.ResetDoneView.as_view(), name="password_reset_done"),
    path("orders/", orders.orders_page, name="orders"),
    path("orders/bulk/", orders.bulk_action, name="orders_bulk"),
    path("orders/<str:number>/", order.order_page, name="order"),
    path("orders/<str:number>/<slug:action>/", order.order_action, name="order_action"),
    path("customers/<uuid:public_id>/", customers.customer_page, name="customer"),
    path("inventory/", inventory.inventory_page, name="inventory"),
    # `path`: a SKU stored before SKUs were limited to code characters may hold a "/".
    path("inventory/<path:sku>/", inventory.sku_page, name="sku"),
    path("settings/", shop_settings.settings_page, name="settings"),
]
