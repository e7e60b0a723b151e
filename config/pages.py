"""The one shape of a form page: validate, call one service, go on with a message; a service's
``DomainError`` shows by the field it names. Every form page that changes a record and goes
on uses it. Written out instead, each for a reason of its own: signing in, two-factor and
password reset (they change the session, not a record); an API token (its key is shown once,
in place); pages with an "Are you sure?" step first (closing a case, declining a referral,
which then use ``answers_to_confirm``); pages with several forms or buttons (a letter, a
referral's documents, a referral section's "save and come back later"); the exclusion
notice's questions (kept in the session until it is sent); and starting a referral (a
referral already open is linked to)."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render

from config.errors import DomainError


def answers_to_confirm(request) -> list[tuple[str, list[str]]]:
    """What a form posted, to send again as hidden fields from its "Are you sure?" page (the
    confirmation adds ``confirm=yes``)."""
    return [
        (key, request.POST.getlist(key))
        for key in request.POST
        if key not in {"csrfmiddlewaretoken", "confirm"}
    ]


KEPT = "kept_form"


def keep_what_was_typed(request, user_id) -> None:
    """A form sent after its sender's session ended: kept in the new session, with whose it
    is, until they have signed in again (files cannot be kept: they choose them again)."""
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    request.session[KEPT] = {"path": request.path, "user": str(user_id), "data": data}


def posted(request):
    """The form's data on a POST, else ``None`` (an empty POST is still a POST). On the first
    visit after signing in again, what the same person typed before their session ended,
    shown in the form for them to check and send again."""
    if request.method == "POST":
        return request.POST
    session = getattr(request, "session", None)
    kept = session.get(KEPT) if session is not None else None
    if not kept or kept["path"] != request.path:
        return None
    del session[KEPT]
    if kept["user"] != str(getattr(request.user, "pk", "")):
        return None
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    messages.info(
        request,
        "You were signed out because nothing happened for a while. What you typed is below: "
        "check it, then send it again.",
    )
    return data


def form_page(request, form, *, template, context, save, done, message, on_show=None):
    """``done`` is a URL, or a function of what ``save`` returned that gives one; ``message``
    is words, or such a function that gives them. ``on_show`` is called when the page is shown
    rather than gone on from (to write the access log for the record it shows)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, message(result) if callable(message) else message)
            return redirect(done(result) if callable(done) else done)
    if on_show is not None:
        on_show()
    return render(
        request,
        template,
        {**context, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
