"""gunicorn's settings for the web service: the Dockerfile and docker-compose.yml start gunicorn with this file.

A sync worker that has not come back to its loop within `timeout` seconds is killed, and a streamed response
counts as one request however long it streams. The exports stream every settled verdict (a year's desk: about
110,000 rows in 2–3 s at 50,000 rows/s); the default 30 s would cut a ten-year export, or a year's on a
CPU-starved machine, in the middle of the file. 120 s leaves that room while a worker that truly hangs is
still replaced within two minutes. WEB_CONCURRENCY and GUNICORN_TIMEOUT override the defaults."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
