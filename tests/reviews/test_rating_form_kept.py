"""The rating page's blank crispy fields come from kept HTML; it must be what crispy-forms writes, and a field
with a value, data or errors must never be served from it."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

from reviews.forms import EvidenceFormSet, RatingForm
from reviews.templatetags import rating_form
from reviews.templatetags.rating_form import as_crispy_field_kept


def _blank_fields():
    evidence = EvidenceFormSet(prefix="evidence")
    return [RatingForm(initial={"confidence": 3})["rationale"]] + [field for form in evidence for field in form]


def test_blank_fields_read_as_crispy_forms_writes_them_first_and_every_time_after():
    rating_form._blank_fields.clear()
    expected = [str(as_crispy_field(field)) for field in _blank_fields()]
    assert 'name="evidence-1-note"' in expected[-1]
    assert [str(as_crispy_field_kept(field)) for field in _blank_fields()] == expected  # rendered and kept
    assert len(rating_form._blank_fields) == len(expected)
    assert [str(as_crispy_field_kept(field)) for field in _blank_fields()] == expected  # from what was kept


def test_a_field_with_a_value_or_errors_is_rendered_every_time():
    rating_form._blank_fields.clear()
    as_crispy_field_kept(RatingForm()["rationale"])  # the blank one is kept
    rated = RatingForm(initial={"rationale": "Census figures say otherwise."})["rationale"]
    assert "Census figures say otherwise." in as_crispy_field_kept(rated)
    sent_back = RatingForm(data={"verdict": "false", "confidence": "3", "rationale": ""})
    assert not sent_back.is_valid()
    html = as_crispy_field_kept(sent_back["rationale"])
    assert html == as_crispy_field(sent_back["rationale"])
    assert "is-invalid" in html
    evidence = EvidenceFormSet(prefix="evidence", initial=[{"url": "https://example.org/a", "note": "the table"}])
    assert 'value="https://example.org/a"' in as_crispy_field_kept(evidence.forms[0]["url"])
    assert len(rating_form._blank_fields) == 1


def test_the_management_form_reads_as_django_writes_it_for_each_set_of_counts():
    from reviews.templatetags.rating_form import management_form_kept

    rating_form._management_forms.clear()
    blank = EvidenceFormSet(prefix="evidence")
    rated = EvidenceFormSet(prefix="evidence", initial=[{"url": "https://example.org/a", "note": ""}] * 3)
    for formset in (blank, rated, blank, rated):
        assert management_form_kept(formset) == str(formset.management_form)
    assert 'name="evidence-TOTAL_FORMS" value="5"' in management_form_kept(rated)
    assert len(rating_form._management_forms) == 2
    sent = EvidenceFormSet(
        data={"evidence-TOTAL_FORMS": "1", "evidence-INITIAL_FORMS": "0", "evidence-0-url": ""}, prefix="evidence"
    )
    assert management_form_kept(sent) == str(sent.management_form)
    assert 'value="1"' in management_form_kept(sent)
