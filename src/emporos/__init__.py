"""Emporos: the back office of an online shop, everything after Buy."""

__version__ = "0.1.0"
