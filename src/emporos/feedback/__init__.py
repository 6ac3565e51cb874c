"""What customers tell the shop unasked-for: the satisfaction check after delivery, reviews."""
