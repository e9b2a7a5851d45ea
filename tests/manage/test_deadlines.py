"""Deadlines of the corpus contracts from their key terms, the "next 90 days" view, and an .ics file parsed back
with the icalendar library."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from icalendar import Calendar

from assistant import Deadline, Settings, Workspace
from assistant.text.dates import parse_date, parse_period, shift

from ..paths import CORPUS

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def deal(tmp_path_factory, cache_dir):
    ws = Workspace(Settings(data_dir=tmp_path_factory.mktemp("deadlines") / "data", cache_dir=cache_dir, workspace="deadlines"))
    ws.ingest([CORPUS / "harbourline_veridian"], deal="Harbourline / Veridian")
    ws.ingest([CORPUS / "standalone"])
    yield ws
    ws.close()


def by_kind(deadlines: list[Deadline], subject: str) -> dict[str, Deadline]:
    return {d.kind: d for d in deadlines if d.subject == subject}


def test_dates_and_periods_as_contracts_write_them():
    assert parse_period("not less than six (6) months' written notice").label() == "6 months"
    assert parse_period("ninety (90) days").amount == 90 and parse_period("12 Business Days").business
    assert parse_date("THIS AGREEMENT is dated 14 February 2025.") == dt.date(2025, 2, 14)
    assert parse_date("as of June 1, 2024 (the") == dt.date(2024, 6, 1)
    assert shift(dt.date(2030, 2, 28), parse_period("six (6) months"), -1) == dt.date(2029, 8, 28)
    assert shift(dt.date(2026, 12, 4), parse_period("two business days")) == dt.date(2026, 12, 8)  # Friday + 2 = Tuesday


def test_the_deals_deadlines(deal):
    found = by_kind(deal.deadlines(today=TODAY), "Harbourline / Veridian")
    expiry = found["expiry"]
    assert expiry.date == dt.date(2030, 2, 28) and "28 February 2030" in expiry.span.text  # MSA 2.1 states it
    notice = found["non_renewal_notice"]
    assert notice.date == dt.date(2029, 8, 28) and "six (6) months before the end" in notice.span.text
    convenience = found["convenience_termination"]
    assert convenience.date == dt.date(2027, 6, 1) and convenience.depends_on == "the day notice is given"
    assert "Customer" in convenience.name and "for convenience" in convenience.span.text
    assistance = found["termination_assistance_end"]
    assert assistance.date == dt.date(2031, 2, 28) and "twelve (12) months" in assistance.notice
    for d in found.values():
        assert deal.document(d.span.file_name).text[d.span.start:d.span.end] == d.span.text


def test_a_date_the_contract_does_not_fix_is_not_guessed(deal):
    found = by_kind(deal.deadlines(today=TODAY), "quickfix_support_agreement.pdf")
    expiry = found["expiry"]
    assert expiry.date is None and expiry.depends_on == "the Commencement Date"
    assert found["non_renewal_notice"].date is None and found["non_renewal_notice"].depends_on == "the Commencement Date"
    nda = by_kind(deal.deadlines(today=TODAY), "nda_harbourline_veridian.txt")["expiry"]
    assert nda.date == dt.date(2027, 1, 9) and "10 January 2025" in nda.basis  # two years from the date it is dated


def test_next_90_days_and_json(deal):
    soon = deal.deadlines(today=TODAY, within_days=90)
    assert soon and all(TODAY <= d.date <= TODAY + dt.timedelta(days=90) for d in soon)
    assert [d.date for d in soon] == sorted(d.date for d in soon)
    assert ("nda_harbourline_veridian.txt", "expiry") in {(d.subject, d.kind) for d in soon}
    assert "Harbourline / Veridian" not in {d.subject for d in soon}  # its dates are years away
    every = deal.deadlines(today=TODAY)
    assert [Deadline.from_dict(json.loads(json.dumps(d.to_dict()))) for d in every] == every


def test_ics_file_parses_back(deal, tmp_path):
    every = deal.deadlines(today=TODAY)
    path = deal.export_calendar(tmp_path / "deadlines.ics", every)
    calendar = Calendar.from_ical(path.read_bytes())
    events = calendar.walk("VEVENT")
    dated = [d for d in every if d.date]
    assert len(events) == len(dated) and len(dated) < len(every)  # undated deadlines are not events
    expiry = next(e for e in events if str(e["summary"]) == "Harbourline / Veridian: Expiry of the current term")
    assert expiry.decoded("dtstart") == dt.date(2030, 2, 28)
    text = str(expiry["description"])
    assert "Contract: Harbourline / Veridian" in text and "Clause: msa.pdf, p." in text and "28 February 2030" in text
    assert expiry.walk("VALARM")[0].decoded("trigger") == dt.timedelta(days=-14)
    assert len({str(e["uid"]) for e in events}) == len(events)
