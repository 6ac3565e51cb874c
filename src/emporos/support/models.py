"""Tickets: one conversation per problem, whatever the channel, with the promise made to the
customer and the SLA clock; every inbound e-mail stored first, as received."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    OPEN = "open", "Open"  # the shop owes an answer
    PENDING = "pending", "Waiting for the customer"  # the SLA clock is paused
    SOLVED = "solved", "Solved"


OPEN_STATUSES = (Status.OPEN, Status.PENDING)


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEB = "web", "Contact form"
    CHAT = "chat", "Chat"
    PHONE = "phone", "Phone"
    SURVEY = "survey", "Satisfaction check"
    PROACTIVE = "proactive", "Raised by the shop"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


PRIORITY_ORDER = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Topic(models.TextChoices):
    """The shop's taxonomy of problems: what the complaints report groups by."""

    DELIVERY = "delivery", "Delivery"
    PRODUCT = "product", "Product"
    PAYMENT = "payment", "Payment"
    RETURN = "return", "Return"
    SITE = "site", "Website"
    OTHER = "other", "Other"


class Ticket(models.Model):
    """One problem of one customer, with every message about it in any channel."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="The API's id.")
    number = models.PositiveIntegerField(unique=True, help_text='Shown to people as "#1042".')
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    channel = models.CharField(max_length=10, choices=Channel.choices, help_text="Where it started.")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    topic = models.CharField(max_length=10, choices=Topic.choices, default=Topic.OTHER)
    subject = models.CharField(max_length=300)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    contact_email = models.CharField(max_length=254, blank=True, default="", help_text="Where replies go.")
    contact_phone = models.CharField(max_length=20, blank=True, default="")
    language = models.CharField(max_length=8, default="en")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ret = models.ForeignKey("returns.Return", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shipment = models.ForeignKey(
        "fulfillment.Shipment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.JSONField(default=list, blank=True)
    by_email = models.BooleanField(
        default=False, help_text="Answers go by e-mail too (a chat started outside opening hours)."
    )
    # The promise made to the customer in the acknowledgement, and whether the first answer kept it.
    reply_by = models.DateTimeField(null=True, blank=True)
    promise_kept = models.BooleanField(null=True, blank=True)
    # The SLA clock: targets in working minutes fixed when the ticket opened; `due_at` is the next
    # deadline (first or next response, or resolution), empty while waiting for the customer.
    first_response_minutes = models.PositiveIntegerField()
    next_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()
    due_at = models.DateTimeField(null=True, blank=True)
    due_kind = models.CharField(max_length=20, blank=True, default="")
    pauses = models.JSONField(default=list, blank=True, help_text="[[from, until or null], ...] ISO times.")
    first_responded_at = models.DateTimeField(null=True, blank=True)
    customer_waiting_since = models.DateTimeField(null=True, blank=True, help_text="Unanswered since.")
    solved_at = models.DateTimeField(null=True, blank=True)
    reopened = models.PositiveIntegerField(default=0)
    # What the customer said of the contact afterwards (a click on the page, never a GET).
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (bad) to 5 (great).")
    effort = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (very easy) to 5 (very hard).")
    survey_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text="What opened it, once: an API key's request, a case.",
    )
    fingerprint = models.CharField(
        max_length=64, blank=True, default="", help_text="Of the API request that opened it."
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="ticket_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="ticket_channel_valid"),
            models.CheckConstraint(condition=Q(priority__in=Priority.values), name="ticket_priority_valid"),
            models.CheckConstraint(condition=Q(topic__in=Topic.values), name="ticket_topic_valid"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="ticket_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(effort__isnull=True) | Q(effort__gte=1, effort__lte=5), name="ticket_effort_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="ticket_queue"),
            models.Index(fields=["customer", "-created_at"], name="ticket_customer"),
            models.Index(fields=["order"], name="ticket_order"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"

    @property
    def name(self) -> str:
        return f"#{self.number}"


class Direction(models.TextChoices):
    IN = "in", "From the customer"
    OUT = "out", "To the customer"
    NOTE = "note", "Internal note"


class SendStatus(models.TextChoices):
    NONE = "", "Not sent by e-mail"
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class CallOutcome(models.TextChoices):
    NONE = "", "Not a call"
    SOLVED = "solved", "Solved on the call"
    FOLLOW_UP = "follow_up", "Needs a follow-up"
    NO_ANSWER = "no_answer", "No answer"
    VOICEMAIL = "voicemail", "Left a voicemail"


class Message(models.Model):
    """One message of a conversation: from the customer, to them, or a note between staff."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sender = models.CharField(max_length=254, help_text="An e-mail address, a phone number or a staff name.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(help_text="What was said, quoted history and signatures trimmed.")
    full_text = models.TextField(blank=True, default="", help_text="As received, when it was trimmed.")
    message_id = models.CharField(max_length=300, null=True, blank=True, unique=True, help_text="E-mail Message-ID.")
    automatic = models.CharField(
        max_length=20, blank=True, default="", help_text="acknowledgement or survey: sent by Emporos, not a person."
    )
    send_status = models.CharField(max_length=10, choices=SendStatus.choices, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    call_outcome = models.CharField(max_length=10, choices=CallOutcome.choices, blank=True, default="")
    minutes_spent = models.PositiveIntegerField(default=0, help_text="Agent minutes, for the complaints report.")
    asked_for_known = models.CharField(
        max_length=20, blank=True, default="", help_text="What the reply asked for that the shop already had."
    )
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="support_message_direction"),
        ]
        indexes = [models.Index(fields=["ticket", "sent_at"], name="support_message_ticket")]

    def __str__(self) -> str:
        return f"{self.direction} {self.channel} {self.sent_at:%Y-%m-%d %H:%M}"

    @property
    def is_automatic(self) -> bool:
        return bool(self.automatic)


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


class Outcome(models.TextChoices):
    WAITING = "", "Not processed yet"
    OPENED = "opened", "Opened a ticket"
    ADDED = "added", "Added to a ticket"
    AUTOMATIC = "automatic", "Automatic mail, ignored"
    NOT_FOR_US = "not_for_us", "Not addressed to support"


class InboundMail(models.Model):
    """An e-mail exactly as received, stored before anything else happens to it: the Message-ID is
    unique, so the same mail fetched twice (IMAP, the listener, a provider's webhook) is one row."""

    message_id = models.CharField(max_length=300, unique=True)
    source = models.CharField(max_length=10, help_text="imap, smtp, webhook or form.")
    recipients = models.JSONField(default=list, blank=True)
    raw = models.BinaryField()
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True, default="")
    automatic = models.CharField(max_length=20, blank=True, default="", help_text="Why it was taken as automatic.")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["-received_at"], name="inbound_mail_newest")]

    def __str__(self) -> str:
        return self.message_id


class CallbackStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    DONE = "done", "Called back"
    MISSED = "missed", "Missed"


class Callback(models.Model):
    """A customer's request to be called, in a slot they picked."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="callbacks")
    phone = models.CharField(max_length=20)
    slot_starts_at = models.DateTimeField()
    slot_ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.REQUESTED)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(slot_ends_at__gt=models.F("slot_starts_at")), name="callback_slot"),
        ]
        indexes = [models.Index(fields=["status", "slot_starts_at"], name="callback_due")]

    def __str__(self) -> str:
        return f"{self.phone} {self.slot_starts_at:%Y-%m-%d %H:%M}"


class Viewer(models.Model):
    """A staff member with the ticket open now (seen in the last seconds): the collision warning."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_replying = models.BooleanField(default=False)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "staff"], name="viewer_once")]

    def __str__(self) -> str:
        return f"{self.staff_id} on {self.ticket_id}"


class Macro(models.Model):
    """A canned reply in the shop's words, per language, with {placeholders}, and what applying it
    does to the ticket (a status, tags, a topic)."""

    name = models.CharField(max_length=100, unique=True)
    bodies = models.JSONField(default=dict, help_text="{language: text with {placeholders}}.")
    set_status = models.CharField(max_length=10, choices=Status.choices, blank=True, default="")
    set_topic = models.CharField(max_length=10, choices=Topic.choices, blank=True, default="")
    add_tags = models.JSONField(default=list, blank=True)
    asks_for = models.CharField(
        max_length=20, blank=True, default="", help_text="order_number, address or phone: what the reply asks for."
    )
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    """Working minutes to answer and to solve, by priority, optionally for one topic; the most
    specific row wins. Without rows, the built-in targets apply (`support.sla_policy`)."""

    priority = models.CharField(max_length=10, choices=Priority.choices)
    topic = models.CharField(max_length=10, choices=Topic.choices, blank=True, default="")
    first_response_minutes = models.PositiveIntegerField()
    next_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["priority", "topic"], name="sla_target_once")]

    def __str__(self) -> str:
        return f"{self.priority}/{self.topic or '*'}"
