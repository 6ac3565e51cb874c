"""The order desk's pages. Every action posts to the same service the API calls."""

from django.urls import path

from emporos.desk.views import (
    account,
    customers,
    fulfillment,
    fulfillment_settings,
    inventory,
    order,
    order_fulfillment,
    orders,
    packing,
    queue,
    shipments,
    shop_settings,
    tracking,
)

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
    path("orders/<str:number>/fulfillment/ship/", order_fulfillment.ship_page, name="order_ship"),
    path("orders/<str:number>/fulfillment/<uuid:part_id>/hold/", order_fulfillment.hold_part, name="part_hold"),
    path(
        "orders/<str:number>/fulfillment/<uuid:part_id>/release/", order_fulfillment.release_part, name="part_release"
    ),
    path("orders/<str:number>/lines/<int:line_id>/made/", order_fulfillment.line_made, name="line_made"),
    path("orders/<str:number>/<slug:action>/", order.order_action, name="order_action"),
    path("customers/<uuid:public_id>/", customers.customer_page, name="customer"),
    path("inventory/", inventory.inventory_page, name="inventory"),
    # `path`: a SKU stored before SKUs were limited to code characters may hold a "/".
    path("inventory/<path:sku>/", inventory.sku_page, name="sku"),
    path("fulfillment/", fulfillment.fulfillment_page, name="fulfillment"),
    path("fulfillment/waves/", fulfillment.start_wave, name="start_wave"),
    path("fulfillment/waves/<uuid:public_id>/", fulfillment.wave_page, name="wave"),
    path("fulfillment/waves/<uuid:public_id>/pick-list.pdf", fulfillment.pick_list, name="wave_pick_list"),
    path("fulfillment/waves/<uuid:public_id>/packing-slips.pdf", fulfillment.packing_slips, name="wave_packing_slips"),
    path("fulfillment/waves/<uuid:public_id>/labels/", fulfillment.make_labels, name="wave_make_labels"),
    path("fulfillment/waves/<uuid:public_id>/labels.pdf", fulfillment.wave_labels, name="wave_labels"),
    path("fulfillment/waves/<uuid:public_id>/labels.zpl", fulfillment.wave_labels_zpl, name="wave_labels_zpl"),
    path("packing/", packing.packing_page, name="packing"),
    path("packing/parcels/<uuid:public_id>/", packing.packed_page, name="packed"),
    path("packing/<str:number>/", packing.pack_page, name="pack"),
    path("shipments/", shipments.shipments_page, name="shipments"),
    path("shipments/<uuid:public_id>/", tracking.shipment_page, name="shipment"),
    path("shipments/<uuid:public_id>/delay/close/", tracking.close_delay_case, name="delay_case_close"),
    path("fulfillment/delays/", tracking.delay_cases_page, name="delay_cases"),
    path("fulfillment/on-time/", tracking.on_time_page, name="on_time"),
    path("shipments/<uuid:public_id>/label.pdf", shipments.shipment_label, name="shipment_label"),
    path("shipments/<uuid:public_id>/label.zpl", shipments.shipment_label_zpl, name="shipment_label_zpl"),
    path("settings/", shop_settings.settings_page, name="settings"),
    path("settings/fulfillment/", fulfillment_settings.fulfillment_settings_page, name="fulfillment_settings"),
    path("settings/fulfillment/packaging/<str:code>/", fulfillment_settings.packaging_page, name="packaging"),
    path(
        "settings/fulfillment/packaging/<str:code>/active/",
        fulfillment_settings.packaging_active,
        name="packaging_active",
    ),
]
