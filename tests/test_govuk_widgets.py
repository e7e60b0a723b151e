from django import forms
from django.test.html import parse_html

from config.govuk import GovukForm, QuickSelect

CHOICES = [("", "Any"), ("1", "Oak Primary"), ("2", "St Mary's & St John's <CE>")]


class Chooser(GovukForm):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    quick = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)


def test_quick_select_writes_the_same_select_as_django_s_template():
    """Same attributes, the GOV.UK class, the chosen option marked and names escaped."""
    form = Chooser(data={"plain": "2", "quick": "2"})
    plain = str(form["plain"].as_widget()).replace('name="plain"', 'name="x"')
    quick = str(form["quick"].as_widget()).replace('name="quick"', 'name="x"')
    assert parse_html(quick.replace("id_quick", "id_plain")) == parse_html(plain)
    assert 'class="govuk-select"' in quick
    assert "&lt;CE&gt;" in quick
    assert '<option value="2" selected>' in quick


def test_quick_select_marks_an_error_as_the_plain_select_does():
    class Required(GovukForm):
        school = forms.ChoiceField(choices=CHOICES, widget=QuickSelect)

    form = Required(data={})
    assert not form.is_valid()
    assert "govuk-select--error" in str(form["school"].as_widget())
