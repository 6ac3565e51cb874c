"""The shop's shipping methods (tests/shipping) for the fulfilment pages."""

from tests.shipping.conftest import greece  # noqa: F401  (a fixture the fulfilment pages' tests use)
