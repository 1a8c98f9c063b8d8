"""The article page's assign panel: a checkbox per desk reviewer, labelled with their full name or username."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_each_reviewer_gets_a_labelled_checkbox_for_the_assign_form(editor_client, reviewer, other_reviewer):
    reviewer.first_name, reviewer.last_name = "Ana <b>", "Silva"
    reviewer.save()
    article = ArticleFactory()
    html = editor_client.get(reverse("reviews:article_detail", args=[article.pk])).content.decode()
    for user, label in ((reviewer, "Ana &lt;b&gt; Silva"), (other_reviewer, other_reviewer.username)):
        assert (
            f'<input class="form-check-input" type="checkbox" name="reviewers" value="{user.pk}" id="rev-{user.pk}"'
            f' form="assign-form"><label class="form-check-label" for="rev-{user.pk}">{label}</label>'
        ) in html
    assert "No reviewers yet." not in html


def test_a_desk_without_reviewers_says_so(editor_client):
    article = ArticleFactory()
    html = editor_client.get(reverse("reviews:article_detail", args=[article.pk])).content.decode()
    assert "No reviewers yet." in html and 'name="reviewers"' not in html
