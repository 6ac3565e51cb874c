"""The help centre: articles in four languages, search, and whether they answered."""
