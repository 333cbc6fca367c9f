"""Domain events between apps that may not import each other.

A leaf app (postal, payments, documents, feedback, …) publishes what happened, by name; another
leaf that must react to it (notifications above all) subscribes to that name. Neither imports the
other, so the layering contract (docs/architecture.md) holds. Subscribers run at once, in the
publisher's transaction, as Django's signals do: a message is queued exactly when the change
commits, and a subscriber's error rolls the change back rather than losing the message.

Apps below the leaves (dossiers, catalog, …) keep their own Django signals, which the leaves
may import."""

from collections import defaultdict
from collections.abc import Callable

_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(name: str) -> Callable:
    """Decorator: call the function with the event's keyword arguments whenever ``name`` is
    published. Subscribe in an ``AppConfig.ready`` (or a module it imports)."""

    def decorator(function: Callable[..., None]) -> Callable[..., None]:
        if function not in _subscribers[name]:
            _subscribers[name].append(function)
        return function

    return decorator


def publish(name: str, **payload) -> None:
    for function in list(_subscribers.get(name, ())):
        function(**payload)


def subscribers(name: str) -> list[Callable[..., None]]:
    return list(_subscribers.get(name, ()))
