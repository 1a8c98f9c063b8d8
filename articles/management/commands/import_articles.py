import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.models import ImportJob
from articles.services import feeds, imports


class Command(BaseCommand):
    help = "Import articles from files, folders and URLs through an import job (run by a Celery worker)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files, folders (read recursively) or http(s) URLs.")
        parser.add_argument(
            "--feed",
            action="append",
            default=[],
            metavar="URL",
            help="Subscribe to an RSS/Atom feed (or reuse the subscription) and import its new entries now.",
        )
        parser.add_argument(
            "--interval", type=int, default=60, help="Minutes between polls for a new --feed (default 60)."
        )
        parser.add_argument("--wait", action="store_true", help="Follow the job until it finishes.")
        parser.add_argument("--timeout", type=float, default=600, help="Seconds to wait with --wait.")

    def handle(self, *args, paths, feed, interval, wait, timeout, **options):
        if not paths and not feed:
            raise CommandError("Give files, folders or URLs to import, or --feed URL.")
        for feed_url in feed:
            self._poll_feed(feed_url, interval=interval, wait=wait, timeout=timeout)
        if paths:
            self._import_paths(paths, wait=wait, timeout=timeout)

    def _poll_feed(self, url, *, interval, wait, timeout):
        try:
            feed = feeds.feed_subscribe(url=url, created_by=None, interval_minutes=interval, poll_now=False)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        # Poll in this process so the command can report what it found.
        job = feeds.feed_poll(feed_id=feed.pk)
        feed.refresh_from_db()
        if feed.last_error:
            raise CommandError(f"Feed {url}: {feed.last_error}")
        if job is None:
            self.stdout.write(f"Feed {url}: no new entries.")
            return
        self.stdout.write(f"Feed {url}: {job.sources_total} new entr{'y' if job.sources_total == 1 else 'ies'}.")
        self._report(job, wait=wait, timeout=timeout)

    def _import_paths(self, paths, *, wait, timeout):
        uploads, urls = [], []
        for raw in paths:
            if raw.lower().startswith(("http://", "https://")):
                urls.append(raw)
                continue
            path = Path(raw)
            if path.is_dir():
                files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            elif path.is_file():
                files = [path]
            else:
                raise CommandError(f"{raw}: no such file, folder or URL.")
            uploads += [imports.Upload(name=p.name, data=p.read_bytes()) for p in files]
        try:
            job = imports.import_job_create(
                created_by=None, uploads=uploads, urls=urls, source=ImportJob.Source.COMMAND
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Import job #{job.pk}: {len(uploads)} file(s), {len(urls)} URL(s) queued.")
        self._report(job, wait=wait, timeout=timeout)

    def _report(self, job, *, wait, timeout):
        job.refresh_from_db()
        if wait and not job.is_finished:
            deadline = time.monotonic() + timeout
            while not job.is_finished and time.monotonic() < deadline:
                time.sleep(0.5)
                job.refresh_from_db()
            if not job.is_finished:
                raise CommandError(
                    f"Job #{job.pk} is still {job.status} after {timeout:.0f}s. Is a Celery worker running?"
                )
        if job.is_finished:
            for item in job.items.select_related("article").defer("raw").order_by("source__position", "position"):
                detail = item.error if item.status == item.Status.FAILED else f"article #{item.article_id}"
                self.stdout.write(f"  {item.status:<9} {item.name}: {detail}")
        self.stdout.write(
            f"Job #{job.pk} {job.status}: {job.succeeded} imported, {job.duplicates} duplicates, {job.failed} failed."
        )
