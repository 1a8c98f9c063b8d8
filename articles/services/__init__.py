"""Writes for articles, one module per concept: imports (jobs), storage (articles and their statements),
feeds, curation and scoring. Every write goes through here; views and tasks call these functions."""
