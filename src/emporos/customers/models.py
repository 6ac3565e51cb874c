"""Customers, matched by e-mail address."""

from __future__ import annotations

import uuid

from django.db import models


class Customer(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.CharField(max_length=254, unique=True, help_text="Normalised to lower case.")
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=20, blank=True, default="", help_text="E.164, e.g. +306912345678.")
    language = models.CharField(max_length=8, default="en")
    search_name = models.CharField(max_length=200, default="", help_text="Name without case or accents.")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["phone"], name="customer_phone"),
            models.Index(fields=["search_name"], name="customer_search_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
