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


WIDGET_CASES = [
    ("text", {"type": "text", "value": None, "attrs": {"id": "id_q", "class": "govuk-input"}}),
    ("text", {"type": "text", "value": 'Ann "Nan" <O\'Neil> & co', "attrs": {"maxlength": 100}}),
    ("email", {"type": "email", "value": "a@b.example", "attrs": {"required": True}}),
    ("hidden", {"type": "hidden", "value": 7, "attrs": {"disabled": False}}),
    ("number", {"type": "number", "value": 0, "attrs": {"aria-describedby": "id_n-hint"}}),
    ("checkbox", {"type": "checkbox", "value": None, "attrs": {"checked": True, "id": "id_c"}}),
]


def _widget(name, value, attrs, **more):
    return {"widget": {"name": name, "value": value, "attrs": attrs, **more}}


def test_inputs_written_in_python_are_byte_for_byte_django_s_templates():
    """The renderer writes plain inputs, options and text areas itself, for speed: what it
    writes must be exactly what Django's widget templates write, escaping included."""
    from django.forms.renderers import TemplatesSetting
    from django.utils.safestring import mark_safe

    from config.govuk import GovukFormRenderer

    ours, django = GovukFormRenderer(), TemplatesSetting()
    contexts = [
        (f"django/forms/widgets/{template}.html", _widget(f"f{n}", **widget))
        for n, (template, widget) in enumerate(WIDGET_CASES)
    ]
    for wrap in (False, True):
        for template, kind in (("radio_option", "radio"), ("checkbox_option", "checkbox")):
            for attrs in ({"id": "id_r_0"}, {}):
                option = _widget("r", "2", attrs, type=kind, wrap_label=wrap, label="Fish & <c>")
                contexts.append((f"django/forms/widgets/{template}.html", option))
    for value in (None, "", "Line one\nLine <two>", mark_safe("<b>kept</b>")):
        area = _widget("notes", value, {"rows": 5, "class": "govuk-textarea"})
        contexts.append(("django/forms/widgets/textarea.html", area))
    grouped = [("", "Choose one"), ("Primary & <infant>", [("1", "Oak"), ("2", "Elm <&>")]),
               ("3", "St Mary's")]  # fmt: skip
    selects = [
        (forms.Select(choices=CHOICES), "2"),
        (forms.Select(choices=grouped), "2"),
        (forms.SelectMultiple(choices=grouped), ["1", "3"]),
        (forms.Select(choices=CHOICES, attrs={"class": "govuk-select"}), None),
    ]
    for widget, value in selects:
        context = widget.get_context("school", value, {"id": "id_school"})
        contexts.append(("django/forms/widgets/select.html", context))
    for template, context in contexts:
        assert ours.render(template, context) == django.render(template, context), context
    assert ours.render(*contexts[1]).count("&quot;Nan&quot;") == 1


KINDS = [("a", "A & B"), ("c", "C <see>")]
DAYS = [("1", "Mon"), ("2", "Tue")]


def test_a_real_form_renders_the_same_with_and_without_the_python_inputs():
    """Every kind of field the project's forms use (text, select, radios, checkboxes, one
    checkbox, a text area, a file and a date), each with and without a hint, unbound, bound
    with errors and bound without: the page's HTML is the same as the project's form, field
    and date templates with Django's widget templates make it, escaping included."""
    from django.forms.renderers import TemplatesSetting

    from config.govuk import GovukDateField, GovukFormRenderer

    class Everything(GovukForm):
        name = forms.CharField(help_text="As on the <birth> certificate")
        nickname = forms.CharField(required=False)
        school = forms.ChoiceField(choices=CHOICES, help_text="Where they are on roll")
        quick = forms.ChoiceField(choices=CHOICES, widget=QuickSelect, required=False)
        kind = forms.ChoiceField(choices=KINDS, widget=forms.RadioSelect, help_text="One")
        other_kind = forms.ChoiceField(choices=KINDS, widget=forms.RadioSelect, required=False)
        days = forms.MultipleChoiceField(choices=DAYS, widget=forms.CheckboxSelectMultiple)
        agreed = forms.BooleanField(help_text="Tick to agree")
        urgent = forms.BooleanField(required=False)
        notes = forms.CharField(widget=forms.Textarea, help_text="Kept as typed")
        upload = forms.FileField(required=False, help_text="A PDF")
        hidden = forms.CharField(widget=forms.HiddenInput, required=False)
        born = GovukDateField(label="Date of birth", help_text="For example, 27 3 2014")
        seen = GovukDateField(label="Date seen", required=False)

        def clean(self):
            raise forms.ValidationError("Something about the <whole> form")

    class Plain(TemplatesSetting):  # the project's field templates, Django's widget templates
        form_template_name = GovukFormRenderer.form_template_name
        field_template_name = GovukFormRenderer.field_template_name

    full = {"name": "Ann", "school": "1", "kind": "a", "days": ["1"], "agreed": "on", "notes": "x",
            "born_0": "27", "born_1": "3", "born_2": "2014", "hidden": "7"}  # fmt: skip
    wrong = {"name": "<Ann>", "kind": "c", "days": ["2"], "notes": "x", "born_0": "31",
             "seen_1": "13", "urgent": "on"}  # fmt: skip
    for data in (None, {}, wrong, full):
        ours = Everything(data=data, renderer=GovukFormRenderer())
        plain = Everything(data=data, renderer=Plain())
        if data is not None:
            ours.is_valid(), plain.is_valid()
        assert parse_html(str(ours)) == parse_html(str(plain)), data
        for name in ours.fields:
            assert parse_html(ours[name].as_field_group()) == parse_html(
                plain[name].as_field_group()
            ), (name, data)
    html = str(Everything(data=wrong, renderer=GovukFormRenderer()))
    assert "&lt;Ann&gt;" in html and "&lt;whole&gt;" in html and "&lt;birth&gt;" in html
    assert 'aria-describedby="id_born-hint id_born-error"' in html
    assert 'aria-describedby=" id_seen-error"' in html  # no hint: only the error
