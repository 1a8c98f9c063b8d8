"""The desk's one audit trail: who did what to which record, when, from what to what.

Services write it with ``record(...)`` (or through ``transition(...)`` for guarded status changes) in the
same transaction as the change itself; pages read it with the selectors. Nothing edits or deletes an event.
"""
