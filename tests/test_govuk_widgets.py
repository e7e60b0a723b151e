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


def test_every_field_is_described_by_its_own_hint_and_error_message():
    """WCAG 1.3.1: a screen reader reaching the field announces its hint and its error, so each
    id its aria-describedby names is on the page (Django's own ``_helptext`` ids are not)."""
    import re

    from config.govuk import GovukDateField

    class Everything(GovukForm):
        text = forms.CharField(help_text="A hint")
        notes = forms.CharField(widget=forms.Textarea, help_text="Notes hint")
        choice = forms.ChoiceField(choices=CHOICES[1:], help_text="Pick one")
        quick = forms.ChoiceField(choices=CHOICES[1:], widget=QuickSelect, help_text="Quick")
        upload = forms.FileField(help_text="A PDF")
        agree = forms.BooleanField(help_text="Tick it")
        radios = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect, help_text="R")
        day = GovukDateField(label="Day", help_text="For example, 2 3 2026")

    for form in (Everything(), Everything(data={})):
        html = str(form)
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        described = re.findall(r'aria-describedby="([^"]+)"', html)
        assert described, "no field is described at all"
        missing = {ref for value in described for ref in value.split() if ref not in ids}
        assert missing == set(), missing
    bound = Everything(data={})
    assert 'aria-describedby="id_text-hint id_text-error"' in str(bound)
