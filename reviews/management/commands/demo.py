import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, ImportJob
from articles.services import imports as article_imports
from factcheck.accounts.roles import Role
from reviews.services import assignments as review_assignments

DEMO_DIR = Path(__file__).resolve().parents[3] / "articles" / "demo_articles"
DEMO_USERS = [
    ("admin", "Alex Admin", Role.ADMIN),
    ("editor", "Erin Editor", Role.EDITOR),
    ("reviewer1", "Riley Reviewer", Role.REVIEWER),
    ("reviewer2", "Sam Reviewer", Role.REVIEWER),
    ("reviewer3", "Kim Reviewer", Role.REVIEWER),
]
DEMO_EMAIL_DOMAIN = "example.org"
DEMO_PASSWORD_SUFFIX = "-demo-pass"  # noqa: S105 -- demo logins are public on purpose


class Command(BaseCommand):
    help = "Create demo users (admin, editor, three reviewers) and import the demo articles. Safe to re-run."

    def handle(self, *args, **options):
        User = get_user_model()
        with transaction.atomic():
            users = {}
            for username, full_name, role in DEMO_USERS:
                user, created = User.objects.get_or_create(username=username)
                if created:
                    first, last = full_name.split(" ", 1)
                    user.first_name, user.last_name = first, last
                    user.set_password(username + DEMO_PASSWORD_SUFFIX)
                if created or not user.email:
                    # example.org is reserved for examples: nothing is delivered there. With the console e-mail
                    # backend (the default) a newcomer sees the notification e-mails in the server's output.
                    user.email = user.email or f"{username}@{DEMO_EMAIL_DOMAIN}"
                    user.save()
                user.groups.add(Group.objects.get(name=role.value))
                users[username] = user
        uploads = [article_imports.Upload(name=p.name, data=p.read_bytes()) for p in sorted(DEMO_DIR.glob("*.txt"))]
        if not Article.objects.exists():
            job = article_imports.import_job_create(
                created_by=users["admin"], uploads=uploads, source=ImportJob.Source.COMMAND, label="Demo articles"
            )
            self.stdout.write(f"Queued demo import job #{job.pk} with {len(uploads)} articles.")
            if not self._wait_for(job):
                self.stdout.write(
                    "The import is still pending: start a worker (make worker) and run demo again to assign it."
                )
        first = Article.objects.order_by("pk").first()
        if first is not None:
            created = review_assignments.assignments_auto_create(
                statements=list(first.statements.filter(checkability="checkable")),
                assigned_by=users["editor"],
                per_statement=2,
            )
            self.stdout.write(f"Auto-assigned the first article's statements: {created} new assignment(s).")
        self.stdout.write(
            f"Each demo member has an address on {DEMO_EMAIL_DOMAIN}: without EMAIL_URL set, their notification "
            "e-mails are printed by the process that sends them (the web server, or the worker)."
        )
        self.stdout.write("Demo logins (username / password); for /admin/, run manage.py createsuperuser:")
        for username, _, role in DEMO_USERS:
            self.stdout.write(f"  {role.value:<9} {username} / {username}{DEMO_PASSWORD_SUFFIX}")

    def _wait_for(self, job, timeout: float = 30.0) -> bool:
        """With a real worker the import runs elsewhere; give it a moment so the demo can assign its statements."""
        deadline = time.monotonic() + timeout
        job.refresh_from_db()
        while not job.is_finished and time.monotonic() < deadline:
            time.sleep(0.5)
            job.refresh_from_db()
        return job.is_finished
