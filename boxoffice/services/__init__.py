"""Use cases. Each public method is one transaction (or none): it begins and ends inside the method."""
