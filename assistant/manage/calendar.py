"""Deadlines as an iCalendar file (RFC 5545, written with the ``icalendar`` package) that Outlook, Google Calendar
or Apple Calendar import: one all-day event per dated deadline, its description naming the contract, the clause
and the quote it rests on, with a reminder before it. Undated deadlines cannot be calendar events and are left out."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from .changes import quote
from .deadlines import Deadline

PRODID = "-//Contract review assistant//Deadlines//EN"
REMINDER_DAYS = 14


def event_uid(deadline: Deadline) -> str:
    """Stable per contract and kind of deadline, so a re-export updates the events instead of duplicating them."""
    key = f"{deadline.subject}|{deadline.kind}".encode()
    return f"{hashlib.sha256(key).hexdigest()[:24]}@contract-assistant"


def description(deadline: Deadline) -> str:
    lines = [f"Contract: {deadline.subject}", f"How: {deadline.basis}"]
    if deadline.notice:
        lines.append(f"Notice: {deadline.notice}")
    if deadline.span is not None:
        lines.append(f"Clause: {deadline.span.file_name}, {deadline.span.page_label}{deadline.span.ocr_note}, {deadline.span.section_path or 'preamble'}")
        lines.append(f"Quote: \u201c{quote(deadline.span, 500)}\u201d")
    return "\n".join(lines)


def to_calendar(deadlines: list[Deadline], stamp: dt.datetime | None = None, reminder_days: int = REMINDER_DAYS) -> Calendar:
    stamp = (stamp or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Contract deadlines")
    for deadline in deadlines:
        if deadline.date is None:
            continue
        event = Event()
        event.add("uid", event_uid(deadline))
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.date)
        event.add("dtend", deadline.date + dt.timedelta(days=1))
        event.add("summary", f"{deadline.subject}: {deadline.name}")
        event.add("description", description(deadline))
        event.add("categories", ["Contract deadline"])
        if reminder_days:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{deadline.subject}: {deadline.name} on {deadline.date:%d %B %Y}")
            alarm.add("trigger", dt.timedelta(days=-reminder_days))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar


def write_calendar(deadlines: list[Deadline], path: str | Path, stamp: dt.datetime | None = None) -> Path:
    """Write the ``.ics`` file; returns its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_calendar(deadlines, stamp).to_ical())
    return path
