"""Outgoing webhooks: the storefront and integrators learn of orders and parcels as they happen.

An owner registers endpoints (an https URL, the topics it wants) in the desk. Each offered event
fans out through the outbox into one `integrations.webhook_due` per subscribed endpoint; its
handler POSTs a signed JSON body, logs the attempt, and fails loudly so the outbox retries with
backoff and finally parks a dead letter that the desk can replay. docs/webhooks.md is the
receiver's side of the contract.
"""
