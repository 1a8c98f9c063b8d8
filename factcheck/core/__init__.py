"""Project-wide plumbing that every app may use and that knows no app: enqueueing tasks after commit."""
