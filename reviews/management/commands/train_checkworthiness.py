import csv
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.services import scoring
from reviews.selectors import desk_decisions
from reviews.services import scorer_training

LABELS = {"1": 1, "0": 0, "true": 1, "false": 0, "yes": 1, "no": 0}


def read_labelled_csv(path: Path) -> tuple[list[str], list[int]]:
    """Texts and 0/1 labels from a CSV with (at least) the columns text and label, in any case, BOM or not."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CommandError(f"Cannot open {path}: {exc.strerror}.") from exc
    texts: list[str] = []
    labels: list[int] = []
    with handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip().lower() for name in next(reader, [])]
        except (csv.Error, UnicodeDecodeError) as exc:
            raise CommandError(f"{path} is not a readable UTF-8 CSV file: {exc}.") from exc
        missing = [name for name in ("text", "label") if name not in header]
        if missing:
            found = ", ".join(header) or "nothing"
            raise CommandError(
                f"{path} has no {' and no '.join(missing)} column (found: {found}). The first row must name "
                "the columns text and label."
            )
        text_at, label_at = header.index("text"), header.index("label")
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                line = reader.line_num
                text = row[text_at].strip() if text_at < len(row) else ""
                raw_label = row[label_at].strip().lower() if label_at < len(row) else ""
                if not text:
                    raise CommandError(f"{path}, line {line}: the text is empty.")
                if raw_label not in LABELS:
                    raise CommandError(
                        f"{path}, line {line}: label {raw_label!r} is not 1 (check-worthy) or 0 (not check-worthy)."
                    )
                texts.append(text)
                labels.append(LABELS[raw_label])
        except (csv.Error, UnicodeDecodeError) as exc:
            raise CommandError(f"{path} is not a readable UTF-8 CSV file: {exc}.") from exc
    return texts, labels


class Command(BaseCommand):
    help = (
        "Train a check-worthiness model, from a labelled CSV (columns text,label with 1 = check-worthy, "
        "0 = not) or else from the desk's decisions, store it and make it the active model."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", type=Path, help="CSV file with the columns text and label (1 or 0).")
        parser.add_argument(
            "--min-examples",
            type=int,
            default=50,
            help="Without --csv: the fewest desk decisions to train on (default 50).",
        )
        parser.add_argument("--no-activate", action="store_true", help="Store the model but keep the current one.")
        parser.add_argument(
            "--rescore", action="store_true", help="Afterwards re-score statements nobody has rated or marked."
        )

    def handle(self, *args, **options):
        activate = not options["no_activate"]
        if options["rescore"] and not activate:
            raise CommandError("--rescore re-scores with the active model; drop --no-activate or --rescore.")
        if options["csv"]:
            path = options["csv"]
            texts, labels = read_labelled_csv(path)
            source = f"CSV file {path.name}"
        else:
            texts, labels = desk_decisions.desk_training_examples()
            reason = desk_decisions.training_shortfall(labels, min_examples=options["min_examples"])
            if reason:
                raise CommandError(reason)
            source = f"{scorer_training.DESK_SOURCE} ({len(labels)} statements)"
        try:
            model = scoring.scorer_train(texts=texts, labels=labels, source=source, activate=activate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        state = "active" if model.is_active else "stored, not active"
        self.stdout.write(f"Trained {model.version} ({state}) on {source}.")
        self.stdout.write(json.dumps(model.metrics, indent=2, sort_keys=True))
        if options["rescore"]:
            count = scoring.statements_rescore()
            self.stdout.write(f"Re-scored {count} statements with {model.version}.")
