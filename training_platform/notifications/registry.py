"""The events that can be notified, registered by the apps that raise them
(in ``AppConfig.ready``), so that this low-level app never imports them."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    name: str
    label: str
    reminder: bool = False
    template: str = ""
    context: Callable | None = None
    attachments: Callable | None = None
    headers: Callable | None = None

    @property
    def template_prefix(self) -> str:
        return self.template or f"notifications/email/{self.name}"


_events: dict[str, Event] = {}


def register(
    name,
    *,
    label,
    reminder=False,
    template="",
    context=None,
    attachments=None,
    headers=None,
) -> Event:
    event = Event(
        name=name,
        label=label,
        reminder=reminder,
        template=template,
        context=context,
        attachments=attachments,
        headers=headers,
    )
    _events[name] = event
    return event


def get(name) -> Event:
    try:
        return _events[name]
    except KeyError:
        raise LookupError(f"unknown notification event {name!r}") from None


def events() -> list[Event]:
    return sorted(_events.values(), key=lambda event: event.name)


def reminder_events() -> list[str]:
    return [event.name for event in _events.values() if event.reminder]
