"""Every file format imports through both the web page and the command line."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ImportItem, ImportJob


def sentence(topic: str) -> str:
    return f"The {topic} council said on Monday that 40 homes were flooded. Repairs will cost $2.5 million."


def html_page(title: str) -> bytes:
    return (
        f"<html><head><title>{title}</title><meta name='author' content='Ann Reporter'></head><body>"
        f"<nav>Home | World</nav><article><h1>{title}</h1><p>{sentence(title)}</p>"
        f"<p>Residents of {title} were told to expect delays of at least six weeks on the main road.</p>"
        "</article></body></html>"
    ).encode()


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2026/november/zipped-page.html", html_page("Zipped page"))
        archive.writestr("2026/rows.jsonl", json.dumps({"headline": "Zipped row", "body": sentence("zipped")}))
    return buffer.getvalue()


FILES = {
    "seed-format.txt": f"Seed format story\n\n{sentence('seed')}".encode(),
    "no_title_line.txt": f"{sentence('untitled')}\n\nA second paragraph follows here.".encode(),
    "page.html": html_page("Html page"),
    "one.json": json.dumps({"title": "Json object", "text": sentence("json"), "url": "https://a.example/1"}).encode(),
    "many.json": json.dumps([{"title": "Json list", "content": sentence("list")}, {"title": "No text here"}]).encode(),
    "lines.jsonl": (json.dumps({"title": "Jsonl line", "body": sentence("jsonl")}) + "\n{broken\n").encode(),
    "table.csv": f'title,text,authors,extra\nCsv row,"{sentence("csv")}",Bo Writer,ignored\n'.encode(),
    "batch.zip": zipped(),
}
EXPECTED_TITLES = {
    "Seed format story",
    "No title line",
    "Html page",
    "Json object",
    "Json list",
    "Jsonl line",
    "Csv row",
    "Zipped page",
    "Zipped row",
}


def check_job(job: ImportJob) -> None:
    assert job.status == ImportJob.Status.DONE_WITH_ERRORS
    assert set(Article.objects.values_list("title", flat=True)) == EXPECTED_TITLES
    failed = {i.name: i.error for i in job.items.filter(status=ImportItem.Status.FAILED)}
    assert set(failed) == {"many.json#item 2", "lines.jsonl#line 2"}
    assert all(failed.values())
    assert Article.objects.get(title="Json object").url == "https://a.example/1"
    assert Article.objects.get(title="Csv row").author == "Bo Writer"
    assert "Home | World" not in Article.objects.get(title="Html page").body


@pytest.mark.django_db
def test_every_format_imports_through_the_web_page(admin_client_role, django_capture_on_commit_callbacks):
    files = [SimpleUploadedFile(name, data) for name, data in FILES.items()]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_role.post(reverse("articles:import_list"), {"files": files})
    check_job(ImportJob.objects.get())


@pytest.mark.django_db(transaction=True)  # the command's job is enqueued on commit, as in real use
def test_every_format_imports_through_the_command(tmp_path):
    for name, data in FILES.items():
        (tmp_path / name).write_bytes(data)
    out = io.StringIO()
    call_command("import_articles", str(tmp_path), "--wait", stdout=out)
    check_job(ImportJob.objects.get())
    assert out.getvalue().strip().splitlines()[-1].endswith("9 imported, 0 duplicates, 2 failed.")
