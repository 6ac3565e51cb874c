"""API keys for storefronts and integrations: stored as a SHA-256 hash, with scopes."""

from __future__ import annotations

from django.db import models


class Scope(models.TextChoices):
    ORDERS_READ = "orders:read", "Read orders and the queue"
    ORDERS_WRITE = "orders:write", "Place and change orders"
    CATALOG_WRITE = "catalog:write", "Create and update products"
    INVENTORY_READ = "inventory:read", "Read stock levels and the ledger"
    INVENTORY_WRITE = "inventory:write", "Adjust stock"
    OUTBOX_ADMIN = "outbox:admin", "See and replay dead deliveries"
    SHIPPING_READ = "shipping:read", "Quote shipping methods, prices and delivery dates"
    TRACKING_WRITE = "tracking:write", "Record carrier tracking events for parcels"
    SUPPORT_READ = "support:read", "Read support tickets and their conversations"
    SUPPORT_WRITE = "support:write", "Open support tickets (a storefront's contact form)"


class ApiKey(models.Model):
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, help_text="Shown to tell keys apart; not secret.")
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class StaffRole(models.TextChoices):
    OWNER = "owner", "Owner"
    WAREHOUSE = "warehouse", "Warehouse"
    SUPPORT = "support", "Support"


class StaffProfile(models.Model):
    """The role of a staff account; what each role may do is in access.roles."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="staff_profile")
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    language = models.CharField(
        max_length=10, blank=True, default="", help_text="The language of e-mails to them; blank: the shop's default."
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(role__in=StaffRole.values), name="staff_role_valid")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class SignInFailure(models.Model):
    """Failed sign-ins per account name and per address, counted in a window (access.throttle)."""

    key = models.CharField(max_length=200, unique=True, help_text='"user:<name>" or "ip:<address>".')
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key


class PasswordResetStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the worker"
    SENT = "sent", "Link sent"
    THROTTLED = "throttled", "Not sent: three links this hour already"
    SKIPPED = "skipped", "Not sent: no such account, or too late"


class LinkPurpose(models.TextChoices):
    RESET = "reset", "Reset a password"
    INVITE = "invite", "Choose a first password (an invitation)"


class PasswordResetRequest(models.Model):
    """One "Forgot your password?" request, recorded alike whether the address is known or not;
    the worker mails the link (access.handlers). The address is kept only as a keyed digest, to
    count requests per address; rows older than a day are deleted by the next request."""

    user = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="None: no such account.",
    )
    address_digest = models.CharField(max_length=64, help_text="HMAC of the folded address, never the address.")
    origin = models.CharField(max_length=300, help_text="Scheme and host the request came to; the link points there.")
    language = models.CharField(max_length=10, help_text="The language of the page it was asked from.")
    purpose = models.CharField(max_length=10, choices=LinkPurpose.choices, default=LinkPurpose.RESET)
    status = models.CharField(max_length=10, choices=PasswordResetStatus.choices, default=PasswordResetStatus.PENDING)
    requested_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PasswordResetStatus.values), name="access_password_reset_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(purpose__in=LinkPurpose.values), name="access_password_reset_purpose_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["requested_at"], name="access_password_reset_age"),
            models.Index(fields=["user", "status", "handled_at"], name="access_password_reset_by_user"),
            models.Index(fields=["address_digest", "status", "handled_at"], name="access_password_reset_by_addr"),
        ]

    def __str__(self) -> str:
        return f"password reset {self.pk} ({self.status})"
