"""Payment-provider adapters behind `emporos.orders.payment_providers` (refunds)."""
