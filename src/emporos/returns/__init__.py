"""Returns, refunds and exchanges: return requests, inspection, refunds and their bank transfers."""
