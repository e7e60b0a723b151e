"""Django forms rendered as GOV.UK Design System components.

``{{ form }}`` renders every field with its label, hint, error message and the right component
(input, select, radios, checkboxes, textarea, date input); ``govuk/error_summary.html`` renders the
error summary that links to each field.
"""

import datetime

from django import forms
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.safestring import SafeData, mark_safe

from config import dates
from config.choices import cached_choices
from config.html import conditional_escape

WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "search": "govuk-input",
    "select": "govuk-select",
    "quickselect": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
}


WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in ("text", "email", "password", "number", "url", "search", "tel", "hidden",
                 "date", "time", "datetime", "checkbox", "color")
)  # fmt: skip
OPTION_TEMPLATES = frozenset({f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html"})
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` as a template writes it: escaped unless already safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    """Django's ``attrs.html``: `` name="value"`` each, ``True`` as the bare name, ``False``
    left out."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """Django's ``input.html``."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _option(widget: dict) -> str:
    """Django's ``input_option.html`` (a radio or checkbox among several)."""
    if not widget.get("wrap_label"):
        return _input(widget)
    label_for = widget["attrs"].get("id")
    opening = f'<label for="{_text(label_for)}">' if label_for else "<label>"
    # The newline is the one at the end of Django's included ``input.html``.
    return f"{opening}{_input(widget)}\n {_text(widget['label'])}</label>"


def _textarea(widget: dict) -> str:
    """Django's ``textarea.html``."""
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


SELECT_TEMPLATE = f"{WIDGETS}select.html"
SELECT_OPTION_TEMPLATE = f"{WIDGETS}select_option.html"


def _select(widget: dict) -> str | None:
    """Django's ``select.html`` with its ``select_option.html`` for each option (the newlines
    are the templates' own); ``None`` if an option has a template of its own."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


FORM_TEMPLATE = "govuk/form.html"
FIELD_TEMPLATE = "govuk/field.html"
DATE_TEMPLATE = "govuk/date_input.html"
ERROR_PREFIX = '<span class="govuk-visually-hidden">Error:</span> '


def _errors(field: BoundField) -> str:
    """The field's error messages, each tied to the field by its id."""
    return "".join(
        f'<p id="{_text(field.auto_id)}-error" class="govuk-error-message">{ERROR_PREFIX}'
        f"{_text(error)}</p>"
        for error in field.errors
    )


def _hint(field: BoundField, extra_class: str = "") -> str:
    if not field.help_text:
        return ""
    return (
        f'<div id="{_text(field.auto_id)}-hint" class="govuk-hint{extra_class}">'
        f"{_text(field.help_text)}</div>"
    )


def _field_group(field: BoundField) -> str:
    """``govuk/field.html``, which stays the reference (a test compares the two): the GOV.UK
    form group of one field, with its label or legend, hint, error messages and widget."""
    widget_type, errors = field.widget_type, field.errors
    opening = f'<div class="govuk-form-group{" govuk-form-group--error" if errors else ""}">'
    label = _text(field.label)
    if widget_type in ("radioselect", "checkboxselectmultiple", "govukdate"):
        described = ""
        if field.help_text or errors:
            ids = f"{field.auto_id}-hint" if field.help_text else ""
            if errors:
                ids += f" {field.auto_id}-error"
            described = f' aria-describedby="{_text(ids)}"'
        if widget_type == "govukdate":
            body = _text(field)
        else:
            kind = "govuk-radios" if widget_type == "radioselect" else "govuk-checkboxes"
            options = "".join(
                f'<div class="{kind}__item">{_text(option.tag())}'
                f'<label class="govuk-label {kind}__label" for="{_text(option.id_for_label)}">'
                f"{_text(option.choice_label)}</label></div>"
                for option in field
            )
            body = f'<div class="{kind}" data-module="{kind}">{options}</div>'
        return (
            f'{opening}<fieldset class="govuk-fieldset" role="group"{described}>'
            f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{label}</legend>'
            f"{_hint(field)}{_errors(field)}{body}</fieldset></div>"
        )
    if widget_type == "checkbox":
        return (
            f"{opening}{_errors(field)}"
            '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
            f'<div class="govuk-checkboxes__item">{_text(field)}'
            f'<label class="govuk-label govuk-checkboxes__label" '
            f'for="{_text(field.id_for_label)}">{label}</label>'
            f"{_hint(field, ' govuk-checkboxes__hint')}</div></div></div>"
        )
    return (
        f'{opening}<label class="govuk-label govuk-label--s" for="{_text(field.id_for_label)}">'
        f"{label}</label>{_hint(field)}{_errors(field)}{_text(field)}</div>"
    )


def _date_input(widget: dict) -> str:
    """``govuk/date_input.html``: day, month and year, each with its label."""
    items = "".join(
        '<div class="govuk-date-input__item"><div class="govuk-form-group">'
        '<label class="govuk-label govuk-date-input__label" '
        f'for="{_text(sub["attrs"].get("id", ""))}">'
        f"{_text(sub['label'])}</label>{sub['html']}</div></div>"
        for sub in widget["subwidgets"]
    )
    return (
        f'<div class="govuk-date-input" id="{_text(widget["attrs"].get("id", ""))}">{items}</div>'
    )


def _form(form) -> str:
    """``govuk/form.html``: errors of no one field, hidden fields, then each field's group."""
    return "".join(
        [
            *(f'<p class="govuk-error-message">{ERROR_PREFIX}{_text(error)}</p>'
              for error in form.non_field_errors()),
            *(str(field) for field in form.hidden_fields()),
            *(field.as_field_group() for field in form.visible_fields()),
        ]
    )  # fmt: skip


class GovukFormRenderer(TemplatesSetting):
    """Forms, fields and most widgets rendered by the project's templates. The plain inputs,
    the options of radios and checkboxes, selects and text areas are written in Python: the
    same HTML as Django's widget templates (a test compares them), but each template include
    costs about a millisecond on a busy machine, and a form has many. So are the project's own
    form, field group and date input templates, which stay as the reference the tests compare
    the Python with (and for a page that includes ``govuk/field.html`` itself)."""

    form_template_name = FORM_TEMPLATE
    field_template_name = FIELD_TEMPLATE

    def render(self, template_name, context, request=None):
        if template_name == FIELD_TEMPLATE:
            return _field_group(context["field"])
        if template_name == FORM_TEMPLATE:
            return _form(context["form"])
        if template_name == DATE_TEMPLATE:
            return _date_input(context["widget"])
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name in OPTION_TEMPLATES:
            return _option(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return _textarea(context["widget"])
        if template_name == SELECT_TEMPLATE:
            written = _select(context["widget"])
            if written is not None:
                return written
        return super().render(template_name, context, request)


class QuickSelect(forms.Select):
    """A select whose options are written in Python rather than through one template include
    each: the same HTML, but a list of hundreds of schools costs a millisecond, not fifty."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option, label in self.choices:
            # A record's id needs no escaping, nor a label kept already escaped (config.choices).
            option = str(option) if type(option) is int else _text(option)
            label = label if isinstance(label, SafeData) else _text(label)
            selected = " selected" if option in chosen else ""
            options.append(f'<option value="{option}"{selected}>{label}</option>')
        return mark_safe(f"<select{flatatt(final)}>{''.join(options)}</select>")  # all escaped


class NamedChoiceIterator(ModelChoiceIterator):
    """A model choice field's options as (pk, name) pairs read with ``values_list``: no model
    instance made for each of hundreds of schools, and the pairs kept in Redis
    (:mod:`config.choices`)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from cached_choices(self.queryset, self.field.label_field, key=self.field.choices_key)


class NamedModelChoiceField(forms.ModelChoiceField):
    """A choice of one of many records, each option labelled by ``label_field`` (its name),
    written by :class:`QuickSelect`. The chosen value is still checked against the queryset
    and cleaned to the record."""

    iterator = NamedChoiceIterator
    widget = QuickSelect

    def __init__(self, queryset, *, label_field="name", **kwargs):
        self.label_field = label_field
        # What alone decides the queryset's rows, when the form knows it: the kept list is
        # then found without compiling the queryset (``config.choices.cached_choices``).
        self.choices_key = ()
        super().__init__(queryset, **kwargs)


class GovukDateInput(forms.MultiWidget):
    """Three boxes, day, month and year, as in the GOV.UK date input component."""

    template_name = "govuk/date_input.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(
            context["widget"]["subwidgets"], ["Day", "Month", "Year"], strict=True
        ):
            subwidget["label"] = label
            subwidget["html"] = mark_safe(_input(subwidget))  # _input escapes every value
        return context


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK wording for each way it can be wrong."""

    widget = GovukDateInput

    def __init__(self, *, label="Date", error_name=None, earliest=None, latest=None, **kwargs):
        """``error_name`` names the date in messages where the label is a question: "When was
        consent given?" is told "The date consent was given must be a real date". ``earliest``
        and ``latest`` (dates, or functions giving one) narrow the dates a person can mean
        (``config.dates``)."""
        self.earliest, self.latest = earliest, latest
        name = error_name or label
        self.plain_label = name[0].upper() + name[1:]
        fields = [forms.CharField(), forms.CharField(), forms.CharField()]
        super().__init__(fields, require_all_fields=False, label=label, **kwargs)
        self.error_messages["required"] = f"Enter {name[0].lower() + name[1:]}"

    def clean(self, value):
        parts = [str(part or "").strip() for part in (value or [None, None, None])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [
            name for name, part in zip(["day", "month", "year"], parts, strict=True) if not part
        ]
        if missing:
            raise forms.ValidationError(
                f"{self.plain_label} must include a {' and a '.join(missing)}", code="incomplete"
            )
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1000:
                raise ValueError
            date = datetime.date(year, month, day)
        except (ValueError, OverflowError):
            raise forms.ValidationError(
                f"{self.plain_label} must be a real date", code="invalid"
            ) from None
        problem = dates.out_of_range(date, self.earliest, self.latest)
        if problem:
            raise forms.ValidationError(f"{self.plain_label} {problem}", code="range")
        return date

    def compress(self, data_list):  # clean() above does the work
        return data_list


class GovukBoundField(BoundField):
    """Ties a field to its hint and error message by the ids ``govuk/field.html`` gives them
    (``id_x-hint``, ``id_x-error``), so a screen reader announces both on reaching the field.
    Django's own ``id_x_helptext`` / ``id_x_error`` name elements that GOV.UK pages do not have
    (WCAG 1.3.1). Radios, checkboxes and date inputs are described on their fieldset instead."""

    @property
    def aria_describedby(self):
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}-hint")
            if self.errors:
                ids.append(f"{self.auto_id}-error")
        return " ".join(ids)


EMPTY_CHOICE = "Choose one"
DJANGO_EMPTY_LABELS = {"---------", "- Select an option -"}


def _name_the_empty_choice(field) -> None:
    """A select's empty choice says what to do, not Django's ``---------`` or "- Select an
    option -"."""
    if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField):
        field.choices = [
            (value, EMPTY_CHOICE if value == "" and str(label) in DJANGO_EMPTY_LABELS else label)
            for value, label in field.choices
        ]


class GovukFormMixin:
    """Adds GOV.UK classes to widgets, and their error classes once the form is validated."""

    bound_field_class = GovukBoundField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget_type = type(field.widget).__name__.lower().removesuffix("input")
            css = WIDGET_CLASSES.get(widget_type) or WIDGET_CLASSES.get(
                getattr(field.widget, "input_type", ""), ""
            )
            if css and not isinstance(field.widget, GovukDateInput):
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{css} {existing}".strip()
            _name_the_empty_choice(field)

    def full_clean(self):
        super().full_clean()
        self._mark_error_widgets()

    def _mark_error_widgets(self):
        for name in self.errors:
            field = self.fields.get(name)
            if field is None:
                continue
            widgets = getattr(field.widget, "widgets", [field.widget])
            for widget in widgets:
                classes = widget.attrs.get("class", "").split()
                for base, error_class in ERROR_CLASSES.items():
                    if base in classes and error_class not in classes:
                        classes.append(error_class)
                widget.attrs["class"] = " ".join(classes)

    def add_domain_error(self, error) -> None:
        """Show a service's ``DomainError`` (and any found with it) by the field each names, or
        above the form."""
        for each in getattr(error, "every", [error]):
            self.add_error(each.field if each.field in self.fields else None, each.message)
        self._mark_error_widgets()

    def error_summary_items(self):
        """(message, anchor) pairs for the error summary, in field order."""
        visible = self.visible_fields()
        first = f"#{visible[0].auto_id}" if visible else "#main-content"
        items = [(error, first) for error in self.non_field_errors()]
        for name, field in self.fields.items():
            for error in self.errors.get(name, []):
                anchor = self[name].auto_id
                if isinstance(
                    field.widget, (GovukDateInput, forms.RadioSelect | forms.CheckboxSelectMultiple)
                ):
                    anchor += "_0"
                items.append((error, f"#{anchor}"))
        return items


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
