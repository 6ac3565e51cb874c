"""Review platforms behind `feedback.reviews`."""
