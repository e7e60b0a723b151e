"""What each role's home page shows. The home page lives in accounts, below every app that has
work to show on it, so each of them adds its part from its ``AppConfig.ready``:
``provider(request, membership)`` returns entries for the page's context (or none)."""

from collections.abc import Callable

Provider = Callable[[object, object], dict]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def context_for(request, membership) -> dict:
    context = {"membership": membership}
    for provider in _providers:
        context.update(provider(request, membership))
    return context
