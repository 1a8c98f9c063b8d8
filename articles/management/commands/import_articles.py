import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles import services
from articles.models import ImportJob


class Command(BaseCommand):
    help = "Import articles from files, folders and URLs through an import job (run by a Celery worker)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders (read recursively) or http(s) URLs.")
        parser.add_argument("--wait", action="store_true", help="Follow the job until it finishes.")
        parser.add_argument("--timeout", type=float, default=600, help="Seconds to wait with --wait.")

    def handle(self, *args, paths, wait, timeout, **options):
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
            uploads += [services.Upload(name=p.name, data=p.read_bytes()) for p in files]
        try:
            job = services.import_job_create(
                created_by=None, uploads=uploads, urls=urls, source=ImportJob.Source.COMMAND
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Import job #{job.pk}: {len(uploads)} file(s), {len(urls)} URL(s) queued.")
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
