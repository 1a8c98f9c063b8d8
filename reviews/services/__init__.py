"""Writes for reviews, one module per concept: assignments, ratings, settlement, summaries, team summaries
and training the scorer from the desk's decisions. Views and tasks call these functions."""
