"""The one shape of a form page: validate, call one service, go on with a message; a service's
``DomainError`` shows by the field it names. Every app's form pages use it."""

from django.contrib import messages
from django.shortcuts import redirect, render

from config.errors import DomainError


def posted(request):
    """The form's data on a POST, else ``None`` (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def form_page(request, form, *, template, context, save, done, message):
    """``done`` is a URL, or a function of what ``save`` returned that gives one; ``message``
    is words, or such a function that gives them."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, message(result) if callable(message) else message)
            return redirect(done(result) if callable(done) else done)
    return render(
        request,
        template,
        {**context, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
