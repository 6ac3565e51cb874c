"""Returns: the customer's request (a withdrawal, a conformity claim or the shop's own policy),
the rules of each country, the label, receiving and the refund."""
