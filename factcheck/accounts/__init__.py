"""Desk membership: who is on the desk, their role, and the one permission policy every app checks."""
