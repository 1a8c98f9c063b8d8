import json
import sys
from itertools import islice

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from articles.checkworthiness import DEFAULT_MODEL_NAME, score_statements
from articles.services.scoring import score_texts

# Lines scored together: keeps memory flat on long inputs while the model stays loaded between batches.
BATCH_LINES = 1000


class Command(BaseCommand):
    help = (
        "Score statements read on stdin, one per line, with the active check-worthiness model (or the rules); "
        'write one JSON object {"text", "score", "reasons", "model"} per line. Blank lines are skipped.'
    )
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        lines = (line.strip() for line in stdin)
        texts = (line for line in lines if line)
        use_rules_only = False
        while batch := list(islice(texts, BATCH_LINES)):
            if not use_rules_only:
                try:
                    scores, model = score_texts(batch)
                except DatabaseError:
                    # Trying the scorer should not need a set-up database: without one there is no trained model.
                    self.stderr.write("No database to look up a trained model in (run migrate); scoring with rules.")
                    use_rules_only = True
            if use_rules_only:
                scores, model = score_statements(batch), DEFAULT_MODEL_NAME
            for text, score in zip(batch, scores, strict=True):
                row = {"text": text, "score": score.score, "reasons": list(score.reasons), "model": model}
                self.stdout.write(json.dumps(row, ensure_ascii=False))
