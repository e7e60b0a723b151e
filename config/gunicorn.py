"""gunicorn's settings for production (``gunicorn -c python:config.gunicorn``).

gunicorn names itself in a ``Server`` header on every response; nothing is gained by telling
an attacker which server and version to look up, so the header is left out."""

from gunicorn.http import wsgi

bind = "0.0.0.0:8000"
workers = 3


def _without_server_header(default_headers):
    def headers(self):
        return [h for h in default_headers(self) if not h.lower().startswith("server:")]

    return headers


wsgi.Response.default_headers = _without_server_header(wsgi.Response.default_headers)
