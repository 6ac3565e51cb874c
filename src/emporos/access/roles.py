"""What each staff role may do. Pages and actions ask `can(role, permission)`."""

from __future__ import annotations

from enum import StrEnum

from emporos.access.models import StaffRole


class Permission(StrEnum):
    VIEW_ORDERS = "orders.view"
    CONFIRM_ORDERS = "orders.confirm"
    VERIFY_ORDERS = "orders.verify"
    HOLD_ORDERS = "orders.hold"
    CANCEL_ORDERS = "orders.cancel"
    RECORD_PAYMENTS = "orders.pay"
    REFUND = "orders.refund"
    FULFIL_ORDERS = "orders.fulfil"
    ADD_NOTES = "orders.note"
    VIEW_CUSTOMERS = "customers.view"
    VIEW_INVENTORY = "inventory.view"
    ADJUST_STOCK = "inventory.adjust"
    RECEIVE_RETURNS = "returns.receive"
    CHANGE_SETTINGS = "settings.change"
    MANAGE_STAFF = "staff.manage"
    EDIT_HELP_CENTRE = "help.edit"
    VIEW_SUPPORT_REPORTS = "support.reports"
    ANSWER_CUSTOMERS = "support.answer"


_EVERYONE = {
    Permission.VIEW_ORDERS,
    Permission.CONFIRM_ORDERS,
    Permission.HOLD_ORDERS,
    Permission.ADD_NOTES,
    Permission.VIEW_CUSTOMERS,
    Permission.VIEW_INVENTORY,
}

ROLE_PERMISSIONS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.OWNER: frozenset(Permission),
    # Packers: the queue, picking and packing, stock counts, returned parcels. No money, no settings.
    StaffRole.WAREHOUSE: frozenset(
        _EVERYONE | {Permission.FULFIL_ORDERS, Permission.ADJUST_STOCK, Permission.RECEIVE_RETURNS}
    ),
    # Support: the support desk, calls, payments, cancellations, refunds, the help centre and the
    # complaints report. No stock counts, no settings.
    StaffRole.SUPPORT: frozenset(
        _EVERYONE
        | {
            Permission.VERIFY_ORDERS,
            Permission.CANCEL_ORDERS,
            Permission.RECORD_PAYMENTS,
            Permission.REFUND,
            Permission.EDIT_HELP_CENTRE,
            Permission.VIEW_SUPPORT_REPORTS,
            Permission.ANSWER_CUSTOMERS,
        }
    ),
}


def can(role: str | None, permission: Permission) -> bool:
    return role is not None and permission in ROLE_PERMISSIONS.get(StaffRole(role), frozenset())


def permissions_of(role: str | None) -> frozenset[Permission]:
    return ROLE_PERMISSIONS.get(StaffRole(role), frozenset()) if role else frozenset()
