"""Adapters to the outside world (carriers first); the only place Emporos opens HTTP connections."""
