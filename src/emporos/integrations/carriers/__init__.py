"""Carrier adapters: each turns the `emporos.fulfillment.carriers.Carrier` calls into one carrier's API."""
