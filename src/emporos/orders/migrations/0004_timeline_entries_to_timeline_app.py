"""Move the orders' timeline into emporos.timeline: English sentences become kinds and facts.

The old rows were written by Emporos itself in a fixed English form, so their facts can be read
back from the sentence and the order. Entries of a kind this migration does not know keep their
sentence as a fact (`summary`), which the timeline shows as typed.
"""

import re

from django.db import migrations

KINDS = {
    "order_placed": "orders.order_placed",
    "order_confirmed": "orders.order_confirmed",
    "order_verified": "orders.order_verified",
    "order_processing": "orders.order_processing_started",
    "order_completed": "orders.order_completed",
    "order_held": "orders.order_held",
    "order_released": "orders.order_released",
    "order_cancelled": "orders.order_cancelled",
    "payment_recorded": "orders.payment_recorded",
    "note": "orders.note_added",
    "order_overdue": "orders.order_overdue",
    "notification_requested": "notifications.message_requested",
}
ACTOR_KINDS = {"staff", "api_key", "system", "customer"}
BATCH = 1000


def _match(pattern, text, group=1, default=""):
    found = re.search(pattern, text, re.DOTALL)
    return found.group(group) if found else default


def _facts(row, order, units):
    summary = row.summary
    data = row.data or {}
    kind = KINDS.get(row.kind)
    if order is None:
        return row.kind, {"summary": summary}  # read as "Earlier entry:" with the sentence
    facts = {"order_id": order.pk, "number": f"EM-{order.number}"}
    if kind == "orders.order_placed":
        facts.update(
            channel=data.get("channel", order.channel),
            has_waiting_lines=order.has_waiting_lines,
            units=units,
            total=data.get("total", str(order.total)),
            currency=data.get("currency", order.currency),
            payment_method=order.payment_method,
            payment_status=_match(r"\((\w+)\)\.$", summary, default=order.payment_status),
        )
    elif kind == "orders.order_verified":
        facts.update(outcome=data.get("outcome", ""), note=_match(r"^Verification call: [^.]*\.\s*(.*)$", summary))
    elif kind == "orders.order_completed":
        facts["units"] = units
    elif kind == "orders.order_held":
        facts["reason"] = summary.removeprefix("On hold: ")
    elif kind == "orders.order_released":
        facts.update(status=_match(r"back to (\w+)\.", summary, default="placed"), note=_match(r"back to \w+\.\s*(.*)$", summary))
    elif kind == "orders.order_cancelled":
        # A cancelled order's money stays as it was when it was cancelled (no refunds exist yet).
        facts.update(
            payment_status=order.payment_status,
            reason=_match(r"^Cancelled: (.*?)\. Stock released for", summary, default=summary.removeprefix("Cancelled: ")),
            released_lines=int(_match(r"Stock released for (\d+) line", summary, default="0")),
            refund_due=str(order.amount_paid) if order.amount_paid > 0 else "",
            currency=order.currency,
        )
    elif kind == "orders.payment_recorded":
        facts.update(
            amount=data.get("amount", ""),
            currency=order.currency,
            payment_status=_match(r"payment is (\w+)\.$", summary, default=order.payment_status),
            reference=data.get("reference", ""),
        )
    elif kind == "orders.note_added":
        facts["text"] = data.get("text", summary)
    elif kind == "notifications.message_requested":
        facts.update(message="order_received", channels=data.get("channels", []))
    if kind is None:
        facts["summary"] = summary
    return kind or row.kind, facts


def forwards(apps, schema_editor):
    Old = apps.get_model("orders", "TimelineEntry")
    Order = apps.get_model("orders", "Order")
    OrderLine = apps.get_model("orders", "OrderLine")
    Entry = apps.get_model("timeline", "Entry")
    Subject = apps.get_model("timeline", "Subject")
    User = apps.get_model("auth", "User")
    user_ids = dict(User.objects.values_list("username", "id"))
    while True:
        rows = list(Old.objects.order_by("id")[:BATCH])
        if not rows:
            return
        order_ids = {row.order_id for row in rows if row.order_id}
        orders = Order.objects.in_bulk(order_ids)
        units = {}
        for order_id, quantity in OrderLine.objects.filter(order_id__in=order_ids).values_list("order_id", "quantity"):
            units[order_id] = units.get(order_id, 0) + quantity
        entries = []
        for row in rows:
            actor_kind, _, actor_name = row.actor.partition(":")
            if actor_kind not in ACTOR_KINDS:
                actor_kind, actor_name = "system", row.actor or "Emporos"
            actor_id = str(user_ids.get(actor_name, "")) if actor_kind == "staff" else ""
            kind, facts = _facts(row, orders.get(row.order_id), units.get(row.order_id, 0))
            entries.append(
                Entry(
                    kind=kind,
                    facts=facts,
                    actor_kind=actor_kind,
                    actor_id=actor_id,
                    actor_name=actor_name[:150],
                    occurred_at=row.created_at,
                )
            )
        created = Entry.objects.bulk_create(entries)
        if any(entry.pk is None for entry in created):  # a backend that does not return ids
            created = list(Entry.objects.order_by("-id")[: len(entries)])[::-1]
        subjects = []
        for row, entry in zip(rows, created):
            subjects.append(Subject(entry_id=entry.pk, kind="customer", ref_id=row.customer_id))
            if row.order_id:
                subjects.append(Subject(entry_id=entry.pk, kind="order", ref_id=row.order_id))
        Subject.objects.bulk_create(subjects)
        Old.objects.filter(id__in=[row.id for row in rows]).delete()  # moved, not copied


def backwards(apps, schema_editor):
    Old = apps.get_model("orders", "TimelineEntry")
    Entry = apps.get_model("timeline", "Entry")
    Subject = apps.get_model("timeline", "Subject")
    reverse_kinds = {new: old for old, new in KINDS.items()}
    last_id = 0
    while True:
        entries = list(Entry.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not entries:
            break
        last_id = entries[-1].id
        about = {}
        for entry_id, kind, ref_id in Subject.objects.filter(entry_id__in=[e.id for e in entries]).values_list(
            "entry_id", "kind", "ref_id"
        ):
            about.setdefault(entry_id, {})[kind] = ref_id
        rows = []
        for entry in entries:
            subjects = about.get(entry.id, {})
            if "customer" not in subjects:  # the old table had a customer on every row
                continue
            facts = dict(entry.facts or {})
            # The way back cannot write the old sentences again (the words are made when read
            # now); it keeps the facts and names the kind, what is typed by a person first.
            typed = facts.get("summary") or facts.get("text") or facts.get("reason") or facts.get("note")
            summary = typed or entry.kind
            rows.append(
                Old(
                    customer_id=subjects["customer"],
                    order_id=subjects.get("order"),
                    kind=reverse_kinds.get(entry.kind, entry.kind)[:50],
                    summary=str(summary)[:500],
                    data=facts,
                    actor=f"{entry.actor_kind}:{entry.actor_name}"[:150],
                    created_at=entry.occurred_at,
                )
            )
        Old.objects.bulk_create(rows)
    Entry.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_order_customer_index_with_id"),
        ("timeline", "0001_entries_and_subjects"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
