import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from articles.checkworthiness import DEFAULT_MODEL_NAME
from articles.models import ScorerModel, Statement
from articles.services import scoring
from articles.tasks import statements_rescore_task
from factcheck.audit.services import record
from reviews.models import StatementSummary
from reviews.selectors import desk_decisions
from reviews.services import scorer_training
from reviews.tasks import checkworthiness_train_task
from tests.factories import ArticleFactory, RatingFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

CLAIMS = [
    "The council spent {n} million dollars on the bridge in 2019.",
    "Unemployment fell to {n} percent last year, according to the census bureau.",
    "The senate passed the budget by {n} votes to 40 in March.",
    "Crime rose by {n} percent since 2015, police data shows.",
    "The company cut {n} thousand jobs in the past decade.",
    "Taxes were raised {n} times by the administration between 2010 and 2020.",
]
OPINIONS = [
    "I think this is a terrible idea and we should stop it number {n}.",
    "What do you really want from me, friend {n}?",
    "Well, thank you all so much for coming tonight, {n} cheers!",
    "We will make it great again, I promise you all {n}.",
    "Maybe we could perhaps try something nicer next time, option {n}?",
    "I love this town and I feel proud of it, {n} reasons.",
]


def labelled_examples(n_each: int = 30) -> tuple[list[str], list[int]]:
    texts = [CLAIMS[i % len(CLAIMS)].format(n=12 + i) for i in range(n_each)]
    texts += [OPINIONS[i % len(OPINIONS)].format(n=i + 1) for i in range(n_each)]
    return texts, [1] * n_each + [0] * n_each


def write_csv(path, rows: list[list[str]], *, header="Text,Label,Note", bom=True) -> str:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header.split(","))
        writer.writerows(rows)
    return str(path)


@pytest.fixture
def training_csv(tmp_path):
    texts, labels = labelled_examples()
    return write_csv(
        tmp_path / "labels.csv", [[t, str(label), "extra"] for t, label in zip(texts, labels, strict=True)]
    )


@pytest.fixture(autouse=True)
def fresh_scorer_cache():
    # Rolled-back tests can reuse a model's pk; never let one test see another's cached model.
    scoring._clear_scorer_cache()
    yield
    scoring._clear_scorer_cache()


def train(**kwargs) -> ScorerModel:
    texts, labels = labelled_examples()
    return scoring.scorer_train(texts=texts, labels=labels, source="test", **kwargs)


def mark(statement: Statement, checkability: str, editor) -> None:
    before = statement.checkability
    Statement.objects.filter(pk=statement.pk).update(checkability=checkability)
    record(
        "statement.marked",
        statement,
        actor=editor,
        parent=statement.article,
        before={"checkability": before},
        after={"checkability": checkability},
    )


def test_score_texts_uses_the_rules_when_no_model_is_active():
    scores, model = scoring.score_texts(["The council spent $48 million on the bridge.", "Thank you!"])
    assert model == DEFAULT_MODEL_NAME
    assert scores[0].score > scores[1].score


def test_score_texts_uses_the_active_model_and_follows_a_change_of_active_model(django_assert_num_queries):
    first = train()
    scores, model = scoring.score_texts(["Unemployment fell to 4 percent in 2019.", "I think so?"])
    assert model == first.version
    assert scores[0].score > 0.5 > scores[1].score
    with django_assert_num_queries(1):  # loaded once, then only the check for a newer active model
        assert scoring.score_texts(["Taxes rose."])[1] == first.version

    second = train()
    assert second.version != first.version
    assert scoring.score_texts(["Taxes rose."])[1] == second.version
    ScorerModel.objects.update(is_active=False)
    assert scoring.score_texts(["Taxes rose."])[1] == DEFAULT_MODEL_NAME


def test_score_texts_falls_back_to_the_rules_when_the_stored_model_cannot_be_read():
    ScorerModel.objects.create(version="broken", source="test", payload=b"not a pickle", is_active=True)
    scores, model = scoring.score_texts(["The council spent $48 million on the bridge."])
    assert model == DEFAULT_MODEL_NAME
    assert len(scores) == 1


def test_a_model_fitted_on_an_older_set_of_rule_cues_gives_way_to_the_rules(monkeypatch):
    import articles.checkworthiness_training as training
    from articles.checkworthiness import feature_hits

    train()
    # As after an upgrade that added a rule cue: the stored model's weights have one column fewer.
    monkeypatch.setattr(training, "feature_hits", lambda text: [*feature_hits(text), False])
    scores, model = scoring.score_texts(["The council spent $48 million on the bridge."])
    assert model == DEFAULT_MODEL_NAME
    assert "states a number" in scores[0].reasons


def test_the_scoring_page_says_when_the_active_model_cannot_score(monkeypatch, client, editor):
    import articles.checkworthiness_training as training
    from articles.checkworthiness import feature_hits

    stored = train()
    client.force_login(editor)
    page = client.get(reverse("reviews:scoring_models")).content.decode()
    assert "scoring now" in page and "not usable" not in page
    scoring._clear_scorer_cache()
    monkeypatch.setattr(training, "feature_hits", lambda text: [*feature_hits(text), False])
    page = client.get(reverse("reviews:scoring_models")).content.decode()
    assert "scoring now" not in page and "not usable: train again" in page
    assert f"The active model <code>{stored.version}</code> was fitted on another set" in page


def test_training_from_a_csv_stores_an_active_model_and_a_second_training_deactivates_the_first(training_csv):
    out = io.StringIO()
    call_command("train_checkworthiness", "--csv", training_csv, stdout=out)
    first = ScorerModel.objects.get()
    assert first.is_active
    assert first.source == "CSV file labels.csv"
    assert first.metrics["n_train"] == 60
    assert 0 <= first.metrics["average_precision"] <= 1
    # The figures are out-of-sample and say how: a CSV has no articles, so the folds can't keep them apart.
    assert first.metrics["grouped"] is False
    assert first.metrics["validation"].startswith("nested 5-fold cross-validation, stratified, not grouped")
    assert first.version in out.getvalue() and "average_precision" in out.getvalue()

    call_command("train_checkworthiness", "--csv", training_csv, stdout=io.StringIO())
    second = ScorerModel.objects.exclude(pk=first.pk).get()
    first.refresh_from_db()
    assert second.is_active and not first.is_active
    assert second.version != first.version  # same data in the same second still gets its own version


def test_training_with_no_activate_keeps_the_current_model(training_csv):
    active = train()
    call_command("train_checkworthiness", "--csv", training_csv, "--no-activate", stdout=io.StringIO())
    assert ScorerModel.objects.get(is_active=True) == active
    assert ScorerModel.objects.count() == 2


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        ("Sentence,Label", [["A claim with 3 numbers.", "1"]], "no text column"),
        ("text,verdict", [["A claim with 3 numbers.", "1"]], "no label column"),
        ("text,label", [["A claim with 3 numbers.", "maybe"]], "line 2: label 'maybe' is not 1"),
        ("text,label", [["", "1"]], "line 2: the text is empty"),
        ("text,label", [[f"The budget grew by {i} percent.", "1"] for i in range(8)], "Too little labelled data"),
    ],
)
def test_training_from_a_bad_csv_says_what_is_wrong(tmp_path, header, rows, message):
    path = write_csv(tmp_path / "bad.csv", rows, header=header, bom=False)
    with pytest.raises(CommandError, match=message):
        call_command("train_checkworthiness", "--csv", path, stdout=io.StringIO())
    assert not ScorerModel.objects.exists()


def test_training_from_the_desk_refuses_too_few_decisions(editor):
    mark(StatementFactory(), Statement.Checkability.NOT_CHECKABLE, editor)
    with pytest.raises(CommandError, match=r"Only 1 decided statements \(0 check-worthy, 1 not\)"):
        call_command("train_checkworthiness", stdout=io.StringIO())
    assert scorer_training.scorer_train_from_desk() is None
    assert not ScorerModel.objects.exists()


def test_score_statements_command_writes_one_json_line_per_input_line_with_the_model_name():
    out = io.StringIO()
    stdin = io.StringIO("The council spent $48 million on the bridge.\n\nWhat a lovely day!\n")
    call_command("score_statements", stdin=stdin, stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["text"] for row in rows] == ["The council spent $48 million on the bridge.", "What a lovely day!"]
    assert all(set(row) == {"text", "score", "reasons", "model"} for row in rows)
    assert rows[0]["model"] == DEFAULT_MODEL_NAME
    assert "states a number" in rows[0]["reasons"]
    assert rows[0]["score"] > rows[1]["score"]

    model = train()
    out = io.StringIO()
    call_command("score_statements", stdin=io.StringIO("Taxes rose by 3 percent in 2020.\n"), stdout=out)
    assert json.loads(out.getvalue())["model"] == model.version


def test_rescoring_updates_unreviewed_statements_but_not_rated_or_editor_marked_ones(editor):
    article = ArticleFactory()
    claim = "Unemployment fell to 4 percent in 2019, according to the census bureau."
    opinion = "I think we should all feel proud, don't you?"
    unreviewed_claim = StatementFactory(
        article=article, text=claim, score=0.1, checkability=Statement.Checkability.CANDIDATE_NOT_CHECKABLE
    )
    unreviewed_opinion = StatementFactory(article=article, text=opinion, score=0.9)
    rated = StatementFactory(article=article, text=opinion, score=0.9, scored_by=DEFAULT_MODEL_NAME)
    RatingFactory(statement=rated)
    marked = StatementFactory(article=article, text=claim, score=0.1, scored_by=DEFAULT_MODEL_NAME)
    mark(marked, Statement.Checkability.NOT_CHECKABLE, editor)
    model = train()

    assert scoring.statements_rescore() == 2

    for statement in (unreviewed_claim, unreviewed_opinion, rated, marked):
        statement.refresh_from_db()
    assert unreviewed_claim.scored_by == unreviewed_opinion.scored_by == model.version
    assert unreviewed_claim.score > 0.5 and unreviewed_claim.checkability == Statement.Checkability.CHECKABLE
    assert unreviewed_claim.score_reasons and "states a number" in unreviewed_claim.score_reasons
    assert unreviewed_opinion.checkability == Statement.Checkability.CANDIDATE_NOT_CHECKABLE
    assert (rated.scored_by, rated.score, rated.checkability) == (DEFAULT_MODEL_NAME, 0.9, "checkable")
    assert (marked.scored_by, marked.score, marked.checkability) == (DEFAULT_MODEL_NAME, 0.1, "not_checkable")


def test_rescoring_everything_rescores_rated_and_marked_statements_but_keeps_their_checkability(editor):
    rated = StatementFactory(text="I think we should all feel proud, don't you?", score=0.9)
    RatingFactory(statement=rated)
    marked = StatementFactory(text="Taxes rose by 3 percent in 2020.", score=0.1)
    mark(marked, Statement.Checkability.NOT_CHECKABLE, editor)

    assert scoring.statements_rescore(only_unreviewed=False, batch_size=1) == 2

    rated.refresh_from_db()
    marked.refresh_from_db()
    assert rated.score < 0.3 and rated.checkability == Statement.Checkability.CHECKABLE
    assert marked.score > 0.3 and marked.checkability == Statement.Checkability.NOT_CHECKABLE


@pytest.mark.parametrize("n", [10, 100])
def test_rescoring_runs_a_bounded_number_of_queries(n, django_assert_max_num_queries):
    model = train()
    scoring.score_texts(["warm the model cache"])
    article = ArticleFactory()
    Statement.objects.bulk_create(
        Statement(article=article, position=i, start=0, end=10, text=f"The budget grew by {i} percent.")
        for i in range(n)
    )
    # Per batch: select, active-model check, update, two checkability updates; then the empty select.
    with django_assert_max_num_queries(8):
        assert scoring.statements_rescore(batch_size=1000) == n
    assert set(Statement.objects.values_list("scored_by", flat=True)) == {model.version}


def test_desk_training_examples_label_settled_verdicts_then_editor_marks_then_rating_majorities(editor):
    def summary(statement, **fields):
        StatementSummary.objects.create(statement=statement, **fields)
        return statement

    summary(StatementFactory(text="settled false"), consensus="false", settled=True)
    summary(StatementFactory(text="editor not checkable"), editor_verdict="not_checkable", settled=True)
    summary(StatementFactory(text="settled unverifiable"), consensus="unverifiable", settled=True)
    marked_yes = StatementFactory(text="marked checkable")
    mark(marked_yes, Statement.Checkability.CHECKABLE, editor)
    marked_no = StatementFactory(text="marked not checkable")
    mark(marked_no, Statement.Checkability.NOT_CHECKABLE, editor)
    # Settled beats the editor's earlier mark: the reviewers tried to check it.
    overruled = summary(StatementFactory(text="marked, then settled"), consensus="true", settled=True)
    mark(overruled, Statement.Checkability.NOT_CHECKABLE, editor)
    majority_nc = StatementFactory(text="two of three say not checkable")
    for verdict in ("not_checkable", "not_checkable", "true"):
        RatingFactory(statement=majority_nc, verdict=verdict, reviewer=UserFactory())
    RatingFactory(statement=StatementFactory(text="one rating only"), verdict="true")
    StatementFactory(text="scorer's own guess", checkability=Statement.Checkability.CANDIDATE_NOT_CHECKABLE)

    texts, labels = desk_decisions.desk_training_examples()

    assert dict(zip(texts, labels, strict=True)) == {
        "settled false": 1,
        "editor not checkable": 0,
        "marked checkable": 1,
        "marked not checkable": 0,
        "marked, then settled": 1,
        "two of three say not checkable": 0,
    }


def desk_with_decisions(editor, n_each: int = 30) -> list[Statement]:
    texts, labels = labelled_examples(n_each)
    article = ArticleFactory()
    statements = Statement.objects.bulk_create(
        Statement(article=article, position=i, start=0, end=len(t), text=t, scored_by=DEFAULT_MODEL_NAME)
        for i, t in enumerate(texts)
    )
    for statement, label in zip(statements, labels, strict=True):
        mark(statement, "checkable" if label else "not_checkable", editor)
    return statements


def test_train_task_trains_from_the_desk_and_rescores_and_a_second_run_adds_a_version(editor):
    desk_with_decisions(editor)
    unreviewed = StatementFactory(text="Taxes rose by 3 percent in 2020.", scored_by=DEFAULT_MODEL_NAME)

    checkworthiness_train_task.delay()
    first = ScorerModel.objects.get(is_active=True)
    assert first.source == "desk decisions (60 statements)"
    unreviewed.refresh_from_db()
    assert unreviewed.scored_by == first.version

    checkworthiness_train_task.delay()
    assert ScorerModel.objects.count() == 2
    assert ScorerModel.objects.get(is_active=True) != first


def test_train_task_does_nothing_without_enough_decisions():
    statement = StatementFactory(scored_by=DEFAULT_MODEL_NAME)
    checkworthiness_train_task.delay()
    assert not ScorerModel.objects.exists()
    statement.refresh_from_db()
    assert statement.scored_by == DEFAULT_MODEL_NAME


def test_rescore_task_is_idempotent():
    model = train()
    statement = StatementFactory(text="Taxes rose by 3 percent in 2020.", scored_by=DEFAULT_MODEL_NAME)
    statements_rescore_task.delay()
    statement.refresh_from_db()
    once = (statement.score, statement.scored_by, statement.checkability)
    statements_rescore_task.delay()
    statement.refresh_from_db()
    assert (statement.score, statement.scored_by, statement.checkability) == once
    assert once[1] == model.version


def test_editor_trains_from_the_scoring_page_and_sees_the_model(
    editor, editor_client, django_capture_on_commit_callbacks
):

    desk_with_decisions(editor)
    page = editor_client.get(reverse("reviews:scoring_models"))
    assert b"60</strong> desk decisions" in page.content
    assert b"rules-v2</code> is scoring every statement" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("reviews:scoring_models"))
    assert response.status_code == 302
    model = ScorerModel.objects.get(is_active=True)
    assert model.trained_by == editor  # "Train now" passes who asked on to the worker
    page = editor_client.get(reverse("reviews:scoring_models")).content.decode()
    assert model.version in page and "scoring now" in page
    assert f"{model.metrics['average_precision']:.3f}" in page
    assert f"{model.metrics['roc_auc']:.3f}" in page
    assert "articles not kept apart" in page and model.metrics["validation"] in page
    assert date_format(localtime(model.trained_at), "j M Y, H:i") in page


@pytest.mark.django_db
def test_a_stored_model_takes_a_free_version_and_replaces_the_active_one():
    from dataclasses import dataclass, field

    from articles.services.trained_models import trained_model_store

    @dataclass
    class Trained:
        version: str
        metrics: dict = field(default_factory=dict)

        def to_bytes(self) -> bytes:
            return self.version.encode()

    first = trained_model_store(ScorerModel, Trained("trained-2026"), activate=True, source="desk")
    second = trained_model_store(ScorerModel, Trained("trained-2026"), activate=True, source="desk")
    kept = trained_model_store(ScorerModel, Trained("trained-2026"), activate=False, source="csv")
    assert [first.version, second.version, kept.version] == ["trained-2026", "trained-2026-2", "trained-2026-3"]
    assert bytes(second.payload) == b"trained-2026-2"  # the payload carries the version it was stored under
    assert list(ScorerModel.objects.filter(is_active=True).values_list("pk", flat=True)) == [second.pk]
