import json
import sys

from django.core.management.base import BaseCommand

from articles.splitting import split_statements


class Command(BaseCommand):
    help = (
        "Split text read on stdin (paragraphs separated by blank lines) into statements; "
        'write one JSON object {"start", "end", "text"} per line.'
    )

    def handle(self, *args, **options):
        # Read bytes when possible: text mode turns "\r\n" into "\n" and would shift every offset.
        raw = getattr(sys.stdin, "buffer", None)
        body = raw.read().decode("utf-8", errors="replace") if raw is not None else sys.stdin.read()
        for span in split_statements(body):
            line = json.dumps({"start": span.start, "end": span.end, "text": span.text}, ensure_ascii=False)
            self.stdout.write(line)
