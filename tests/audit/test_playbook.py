"""The clause-audit playbook: the default content (ids, detection, adequacy) and the loader's validation messages."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.audit.playbook import (
    DEFAULT_PLAYBOOK,
    SEVERITIES,
    Playbook,
    PlaybookError,
    UnknownClauseError,
)
from assistant.audit.playbook_files import load_playbook, validate_playbook
from assistant.text.normalise import collapse_whitespace as normalize_text

from ..paths import PLAYBOOK, REPO  # noqa: F401

CLAUSE_IDS_MD = PLAYBOOK.parent / "CLAUSE_IDS.md"
GROUPS = {"Termination", "Exit", "Commercial", "Service", "Legal", "Data", "People", "Governance"}


def clause_table() -> list[tuple[str, str, list[str]]]:
    """(clause id, severity, element ids) rows of CLAUSE_IDS.md, the contract other engineers label against."""
    rows = []
    for line in CLAUSE_IDS_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"[a-z_]+", cells[0]):
            rows.append((cells[0], cells[2], [e.strip() for e in cells[3].split(",")]))
    return rows


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return load_playbook()


# ------------------------------------------------------------------------------------------ default playbook


def test_clause_table_is_parsed():
    rows = clause_table()
    assert len(rows) == 31
    assert rows[0] == ("termination_for_cause", "high", ["material_breach", "cure_period", "insolvency"])


def test_default_playbook_has_the_31_ids_in_order(playbook):
    assert playbook.ids == tuple(row[0] for row in clause_table())
    assert playbook.path == DEFAULT_PLAYBOOK
    assert DEFAULT_PLAYBOOK == PLAYBOOK
    assert playbook.name == "IT outsourcing playbook"


def test_default_playbook_element_ids_and_severities_match_the_table(playbook):
    for clause_id, severity, element_ids in clause_table():
        clause = playbook.get(clause_id)
        assert [e.id for e in clause.elements] == element_ids, clause_id
        assert clause.severity == severity, clause_id


def test_default_playbook_validates_and_loads_by_default():
    assert validate_playbook(DEFAULT_PLAYBOOK) == []
    assert validate_playbook(None) == []
    assert load_playbook(None).ids == load_playbook(str(DEFAULT_PLAYBOOK)).ids


def test_default_playbook_content_meets_the_quality_bar(playbook):
    for clause in playbook:
        assert clause.group in GROUPS, clause.id
        assert clause.severity in SEVERITIES
        assert 4 <= len(clause.signals) <= 14, clause.id
        assert 2 <= len(clause.exemplars) <= 4, clause.id
        assert clause.headings and all(h == h.lower() for h in clause.headings), clause.id
        assert len(clause.description) > 40 and len(clause.why) > 80, clause.id
        assert "[" in clause.fallback and "]" in clause.fallback, clause.id
        assert 2 <= len(re.findall(r"[.!?](?:\s|$)", clause.fallback)) <= 7, clause.id
        for element in clause.elements:
            assert 1 <= len(element.patterns) <= 7, (clause.id, element.id)
            assert element.description, (clause.id, element.id)
        assert all(p.flags & re.IGNORECASE for p in clause.signals)


def test_objects_are_frozen(playbook):
    clause = playbook.get("governing_law")
    with pytest.raises(dataclasses.FrozenInstanceError):
        clause.severity = "low"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        clause.elements[0].id = "x"  # type: ignore[misc]


def test_get_unknown_id_names_the_valid_ids(playbook):
    with pytest.raises(UnknownClauseError) as info:
        playbook.get("termination_for_conveniance")
    message = str(info.value)
    assert "unknown clause id 'termination_for_conveniance'" in message
    assert "termination_for_convenience" in message and "multi_sourcing_cooperation" in message
    assert isinstance(info.value, PlaybookError) and isinstance(info.value, KeyError)


# ------------------------------------------------------------------------------------------ detection content

# One sentence per clause type, phrased differently from the playbook's exemplars (mixed US and UK drafting).
POSITIVE = {
    "termination_for_cause": "Company may terminate this Agreement upon written notice if Contractor materially breaches any provision hereof and such breach remains uncured thirty (30) days after notice.",
    "termination_for_convenience": "Client may terminate this Agreement or any SOW for its convenience upon forty-five (45) days written notice to Provider.",
    "term_and_renewal": "The term of this Agreement shall be three (3) years from the Effective Date and shall automatically renew for successive twelve (12) month periods.",
    "exit_management": "The Supplier shall provide the exit management services described in the Exit Plan so as to achieve an orderly handover of the Services to the Customer or its nominee.",
    "termination_assistance": "For up to six months following termination, Vendor shall provide Transition Services to assist Customer in migrating its workloads.",
    "consequences_of_termination": "Distributor may sell off its remaining stock of Products for ninety days after the termination date, and each party shall keep its books for two years thereafter.",
    "data_return_deletion": "Upon termination, Provider shall promptly return all Customer Data and thereafter destroy all copies in its possession.",
    "confidentiality": "The Recipient shall hold all Confidential Information in confidence and use it solely for the purposes of this Agreement.",
    "ip_ownership": "All deliverables and work product developed by Contractor hereunder shall be the exclusive property of Client.",
    "ip_licence": "Vendor hereby grants Customer a perpetual, irrevocable, royalty-free license to use the Vendor Tools embedded in the Deliverables.",
    "service_levels": "Provider shall meet the service levels in Exhibit C, including 99.5% monthly uptime, failing which service credits shall apply.",
    "scope_of_services": "Contractor shall perform the services set out in each Statement of Work executed by the parties.",
    "pricing_invoicing": "Customer shall pay all undisputed invoices within forty-five (45) days after receipt, and the Fees are set out in the Order Form.",
    "transition": "The Supplier shall complete the transition of the in-scope services from the incumbent supplier in accordance with the Transition Plan.",
    "governance": "The parties shall establish a joint steering committee comprising senior representatives of each party, which shall meet quarterly.",
    "audit_rights": "Upon reasonable notice, Client and its auditors may audit Provider's records relating to the fees charged under this Agreement.",
    "data_protection_security": "Vendor shall comply with the GDPR and all applicable data protection laws when processing personal data on behalf of Customer.",
    "limitation_of_liability": "Except for breach of confidentiality, neither party's total liability under this Agreement shall exceed the fees paid in the preceding twelve months.",
    "indemnities": "Provider shall defend Customer against any claim that the Service infringes a third party's patent or copyright and shall pay any resulting damages.",
    "insurance": "Contractor shall, at its own expense, maintain workers' compensation and professional liability insurance in the amounts specified below.",
    "subcontracting": "Provider may not subcontract any portion of the Services without Company's prior written approval.",
    "change_control": "Any change to the scope of the Services shall be made only through the change control procedure and agreed in writing by both parties.",
    "business_continuity": "The Supplier shall maintain a disaster recovery capability sufficient to restore the Services within eight (8) hours of an outage.",
    "key_personnel": "Vendor shall assign the key personnel listed in Exhibit D to the project and shall not reassign them without Customer's approval.",
    "dispute_resolution": "Any dispute that cannot be resolved by the project managers within fifteen days shall be referred to mediation before either party commences litigation.",
    "governing_law": "This Agreement is governed by the laws of the State of Delaware and the parties consent to exclusive jurisdiction in Wilmington.",
    "force_majeure": "A party shall be excused from performance to the extent its failure is caused by an event of force majeure.",
    "assignment": "Contractor shall not assign or transfer this Agreement or any of its rights hereunder without the prior written consent of Company.",
    "change_of_control": "If Supplier undergoes a change of control, Customer may terminate this Agreement upon written notice without liability.",
    "benchmarking": "The Customer may engage an independent third party to benchmark the Charges against the charges for similar services in the market.",
    "multi_sourcing_cooperation": "The Supplier shall cooperate with the Customer's other service providers and share such information as is necessary for the end-to-end delivery of the services.",
}

# Boilerplate that belongs to none of the 31 clause types: no signal may fire on it.
BOILERPLATE = [
    "All notices under this Agreement shall be in writing and delivered by hand or by registered post to the addresses set out above.",
    "This Agreement constitutes the entire agreement between the parties and supersedes all prior agreements, representations and understandings.",
    "This Agreement may be executed in any number of counterparts, each of which shall be deemed an original.",
    "If any provision of this Agreement is held invalid or unenforceable, the remaining provisions shall continue in full force and effect.",
    "No failure or delay by a party in exercising any right shall operate as a waiver of that right.",
    "Headings are for convenience only and do not affect the interpretation of this Agreement.",
    "Nothing in this Agreement creates a partnership or joint venture between the parties, and the Supplier is an independent contractor.",
    "Words in the singular include the plural and references to a person include a body corporate.",
    '"Person" means an individual, a limited liability company, a limited liability partnership, a corporation or a trust.',
]

# (sentence's clause, clause whose signal also fires): overlaps that are real in contract language.
ALLOWED_OVERLAPS = {
    ("termination_assistance", "exit_management"),  # "successor provider" is exit vocabulary too
    ("ip_licence", "exit_management"),  # licence usable by a "replacement supplier"
    ("transition", "scope_of_services"),  # "in-scope services"
    ("change_control", "scope_of_services"),  # a change to "the scope of the Services"
    ("change_control", "service_levels"),  # impact on "Service Levels"
    ("dispute_resolution", "governance"),  # escalation to "contract managers"
    ("termination_assistance", "consequences_of_termination"),  # help that continues after termination is a post-termination duty
    ("exit_management", "consequences_of_termination"),  # so is exit co-operation
    ("data_return_deletion", "consequences_of_termination"),  # "upon termination ... shall ... provide" the data
    ("consequences_of_termination", "termination_assistance"),  # a "sell-off period" after termination
}


def test_positive_sentences_cover_every_clause(playbook):
    assert list(POSITIVE) == list(playbook.ids)


@pytest.mark.parametrize("clause_id", list(POSITIVE))
def test_positive_sentence_matches_a_signal(playbook, clause_id):
    assert playbook.get(clause_id).matching_signals(POSITIVE[clause_id])


def test_exemplars_match_their_own_signals(playbook):
    missing = [(c.id, ex) for c in playbook for ex in c.exemplars if not c.matching_signals(ex)]
    assert missing == []


def test_signals_do_not_fire_across_clause_types_beyond_known_overlaps(playbook):
    overlaps = set()
    for source in playbook:
        for sentence in (POSITIVE[source.id], *source.exemplars):
            for other in playbook:
                if other.id != source.id and other.matching_signals(sentence):
                    overlaps.add((source.id, other.id))
    assert overlaps <= ALLOWED_OVERLAPS, sorted(overlaps - ALLOWED_OVERLAPS)


@pytest.mark.parametrize("clause_id", ["governing_law", "insurance", "audit_rights", "force_majeure", "limitation_of_liability", "confidentiality"])
def test_distinctive_clauses_ignore_other_clauses_text(playbook, clause_id):
    clause = playbook.get(clause_id)
    others = [s for cid, s in POSITIVE.items() if cid != clause_id]
    others += [ex for c in playbook if c.id != clause_id for ex in c.exemplars]
    assert [s for s in others if clause.matching_signals(s)] == []


@pytest.mark.parametrize("sentence", BOILERPLATE)
def test_boilerplate_fires_no_signal(playbook, sentence):
    assert [c.id for c in playbook if c.matching_signals(sentence)] == []


@pytest.mark.parametrize(
    ("clause_id", "sentence"),
    [
        ("termination_for_convenience", "Either party may terminate this Agreement without cause upon sixty (60) days prior written notice."),
        ("termination_for_convenience", "Customer may, at any time, terminate this Agreement upon ninety days notice."),
        ("termination_for_cause", "The Customer may terminate with immediate effect if the Supplier enters into liquidation or has an administrator appointed, and may then terminate."),
        ("governing_law", "This Agreement shall be governed by and construed in accordance with the laws of the State of New York."),
        ("governing_law", "English law governs this Agreement."),
        ("limitation_of_liability", "In no event shall either party's aggregate liability exceed the amounts paid hereunder."),
        ("assignment", "Vendor may not assign this Agreement without the prior written consent of Customer."),
        ("assignment", "This Agreement may not be assigned by either party without the consent of the other."),
        ("audit_rights", "Customer shall have the right to audit Vendor's compliance with this Agreement."),
        ("termination_assistance", "Vendor shall provide post-termination assistance during the wind-down period."),
        ("insurance", "Vendor shall maintain insurance including commercial general liability coverage."),
        ("data_return_deletion", "Upon termination Vendor shall make Customer Data available for download for 30 days."),
        ("ip_licence", "Supplier grants the Customer a non-exclusive licence to the Background IP."),
        ("ip_licence", "Supplier grants the Customer a non-exclusive license to the Background IP."),
        ("exit_management", "The parties shall comply with the disentanglement provisions in Exhibit J."),
    ],
)
def test_us_and_uk_phrasings_are_recognised(playbook, clause_id, sentence):
    assert playbook.get(clause_id).matching_signals(sentence)


@pytest.mark.parametrize(
    ("clause_id", "sentence"),
    [
        ("audit_rights", "The Supplier shall make its books and records available for inspection by the Customer on reasonable notice."),
        ("audit_rights", "Once a year the Customer's accountants may examine the Supplier's accounts relating to the Charges."),
        ("audit_rights", "The Supplier shall allow the Customer to inspect the data centre facilities used for the Services."),
        ("termination_for_convenience", "This Agreement may also be terminated by either party on ninety (90) days' written notice."),
        ("termination_for_convenience", "The Customer will have the right to terminate any Statement of Work by delivering sixty (60) days' written notice."),
        ("change_of_control", "In the event of a merger or consolidation of the Supplier with another company, the Customer may terminate this Agreement."),
        ("ip_ownership", "The Contractor agrees to assign to the Company any copyright in the reports it prepares."),
    ],
)
def test_common_drafting_variants_are_recognised(playbook, clause_id, sentence):
    """Drafting that names the right without the usual anchor words: the verb and its object, a delegated reviewer,
    an adverb inside "may be terminated", a merger as the trigger, a promise to assign rather than a present assignment."""
    assert playbook.get(clause_id).matching_signals(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Licensee may terminate upon ninety (90) days' written notice in case the product approval is withdrawn.",
        "The Customer may terminate this Agreement upon thirty (30) days' notice if the Supplier fails to meet the service levels.",
    ],
)
def test_a_conditional_right_to_terminate_is_not_for_convenience(playbook, sentence):
    """A right that needs a trigger ("if", "in case") is termination for cause or on an event, not for convenience."""
    assert playbook.get("termination_for_convenience").matching_signals(sentence) == []


def test_heading_phrases(playbook):
    assert playbook.get("termination_for_convenience").matches_heading("12.3 Termination Without Cause")
    assert playbook.get("exit_management").matches_heading("Schedule 8 > Exit Management")
    assert playbook.get("exit_management").matches_heading("DISENTANGLEMENT")
    assert playbook.get("termination_assistance").matches_heading("Transition  Services")
    assert playbook.get("limitation_of_liability").matches_heading("Limitations of Liability")
    assert playbook.get("governing_law").matches_heading("Choice of Law")


@pytest.mark.parametrize(
    "heading",
    [
        "Definitions and Interpretation",
        "Notices",
        "Entire Agreement",
        "Counterparts",
        "Severability",
        "Waiver",
        "Compliance with Legislation",
        "Rights of Third Parties",
        "Relationship of the Parties",
        "Publicity",
        "Anti-Bribery",
        "Exhibit C - Existing Systems",
        "Recitals",
        "Execution",
    ],
)
def test_boilerplate_headings_match_no_clause(playbook, heading):
    assert [c.id for c in playbook if c.matches_heading(heading)] == []


# ------------------------------------------------------------------------------------------ elements


def test_fallback_language_satisfies_every_element(playbook):
    """The suggested language must itself pass the audit once the user fills in the amounts."""
    for clause in playbook:
        text = clause.fallback.replace("[amount]", "£5,000,000")
        assert [e.id for e in clause.elements if not e.is_met(text)] == [], clause.id


NOTICE_PHRASES = [
    "upon 30 days' written notice",
    "on thirty (30) days prior written notice",
    "by giving ninety days notice",
    "on 3 months' notice",
    "on twelve (12) months written notice",
    "on [30] days' notice",
    "by written notice of not less than sixty (60) days",
    "upon forty-five (45) calendar days' notice",
]


@pytest.mark.parametrize("phrase", NOTICE_PHRASES)
def test_notice_period_handles_number_formats(playbook, phrase):
    assert playbook.get("termination_for_convenience").element("notice_period").is_met(f"The Customer may terminate for convenience {phrase}.")


@pytest.mark.parametrize("phrase", ["on reasonable notice", "by notice in writing", "promptly after notice", ""])
def test_notice_period_needs_a_stated_period(playbook, phrase):
    assert not playbook.get("termination_for_convenience").element("notice_period").is_met(f"The Customer may terminate for convenience {phrase}.")


@pytest.mark.parametrize(
    ("clause_id", "element_id", "met", "not_met"),
    [
        ("termination_for_cause", "cure_period", "if the breach is not remedied within fifteen (15) business days of notice", "if the breach is not remedied promptly"),
        ("termination_for_cause", "cure_period", "and such breach remains uncured thirty (30) days after notice", "and such breach is material"),
        ("service_levels", "numeric_target", "Availability shall be at least 99.95% in each month", "Availability shall be in line with good industry practice"),
        ("service_levels", "service_credits", "the Customer shall receive a credit against the monthly charges", "the Supplier shall use reasonable efforts"),
        ("data_return_deletion", "return_format", "return the data in a machine-readable format", "return the data"),
        ("data_return_deletion", "deletion_certificate", "and certify the deletion in writing", "and delete the data"),
        ("limitation_of_liability", "carve_outs", "Nothing in this Agreement limits liability for fraud or for death or personal injury", "Liability shall not exceed the annual charges"),
        ("insurance", "minimum_amounts", "with limits of not less than $2,000,000 per occurrence", "with adequate limits"),
        ("pricing_invoicing", "payment_terms", "payable within thirty (30) days of receipt of a valid invoice", "payable promptly"),
        ("pricing_invoicing", "price_changes", "the Charges may be increased annually by no more than CPI", "the Charges are set out in Schedule 4"),
        ("exit_management", "knowledge_transfer", "provide knowledge transfer to the replacement supplier", "provide the Services"),
        ("data_protection_security", "breach_notification", "notify the Customer of any Personal Data Breach within 24 hours", "comply with Data Protection Laws"),
        ("data_protection_security", "international_transfers", "not transfer Personal Data outside the EEA", "process Personal Data"),
        ("ip_licence", "post_exit_licence", "a perpetual licence to use the Supplier Materials", "a licence to use the Supplier Materials during the Term"),
        ("key_personnel", "non_solicitation", "neither party shall solicit any employee of the other", "the Supplier shall provide suitably skilled staff"),
        ("consequences_of_termination", "run_on_duties", "the Distributor may, at its option, dispose of the remaining stock of Products", "each party shall pay all amounts then due"),
        ("consequences_of_termination", "run_on_duties", "the Supplier shall complete all purchase orders accepted before the termination date", "the licences granted to the Distributor end"),
    ],
)
def test_element_patterns(playbook, clause_id, element_id, met, not_met):
    element = playbook.get(clause_id).element(element_id)
    assert element.is_met(met)
    assert not element.is_met(not_met)
    assert not element.is_met("")


@pytest.mark.parametrize(
    ("clause_id", "element_id", "uk", "us"),
    [
        ("data_protection_security", "security_standards", "technical and organisational measures", "technical and organizational measures"),
        ("ip_licence", "background_licence", "a licence to the Background IP", "a license to the Background IP"),
        ("subcontracting", "flow_down", "terms no less favourable to the Customer", "terms no less favorable to the Customer"),
    ],
)
def test_element_patterns_accept_uk_and_us_spelling(playbook, clause_id, element_id, uk, us):
    element = playbook.get(clause_id).element(element_id)
    assert element.is_met(uk) and element.is_met(us)


def test_element_lookup_unknown_id(playbook):
    with pytest.raises(KeyError, match="valid: law, jurisdiction"):
        playbook.get("governing_law").element("venue")


def test_normalize_text_collapses_whitespace_and_quotes(playbook):
    assert normalize_text("ninety\n (90)  days\u2019\u00a0notice") == "ninety (90) days' notice"
    assert playbook.get("termination_for_convenience").matching_signals("The Customer may terminate\nthis Agreement for\nconvenience.")


def test_all_regexes_run_in_linear_time_on_adversarial_text(playbook):
    patterns = [p for c in playbook for p in c.signals] + [p for c in playbook for e in c.elements for p in e.patterns]
    texts = [
        "terminate " * 3000,  # one keyword repeated, no full stops
        "thirty (30) days " * 2000,
        "a" * 30000,
        " ".join(POSITIVE.values()).replace(".", ",") * 5,
    ]
    for pattern in patterns:  # CPU time of this process: other processes on a busy machine do not count
        start = time.process_time()
        for text in texts:
            pattern.search(text + " zzz")
            pattern.findall(text)
        assert time.process_time() - start < 1.5, pattern.pattern  # catastrophic backtracking takes minutes


# ------------------------------------------------------------------------------------------ schema validation


def element(element_id: str = "notice_period", **overrides: Any) -> dict[str, Any]:
    data = {"id": element_id, "name": "Notice period", "description": "A stated notice period.", "patterns": [r"\d+ days"]}
    data.update(overrides)
    return data


def clause(clause_id: str, **overrides: Any) -> dict[str, Any]:
    data = {
        "id": clause_id,
        "name": clause_id.replace("_", " ").capitalize(),
        "group": "Termination",
        "description": "What the clause is.",
        "why": "Why it matters.",
        "severity": "high",
        "headings": ["termination"],
        "signals": [r"\bterminat\w*"],
        "exemplars": ["The Customer may terminate this Agreement."],
        "elements": [element()],
        "fallback": "The Customer may terminate on [30] days' notice.",
    }
    data.update(overrides)
    return data


def playbook_data(*clauses: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "name": "Test playbook",
        "description": "For tests.",
        "clauses": list(clauses) or [clause("termination_for_cause"), clause("termination_for_convenience")],
    }


def write(tmp_path: Path, data: Any, name: str = "x.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def only_problem(path: Path) -> str:
    problems = validate_playbook(path)
    assert len(problems) == 1, problems
    return problems[0]


def test_minimal_playbook_loads(tmp_path):
    path = write(tmp_path, playbook_data())
    book = load_playbook(path)
    assert book.ids == ("termination_for_cause", "termination_for_convenience")
    assert book.path == path and book.description == "For tests."
    assert book.get("termination_for_cause").elements[0].is_met("within 30 days")


def test_optional_fields_may_be_omitted(tmp_path):
    data = playbook_data(clause("a", headings=None), clause("b", signals=[]))
    del data["description"]
    del data["clauses"][0]["headings"]
    book = load_playbook(write(tmp_path, data))
    assert book.description == ""
    assert book.get("a").headings == () and book.get("b").signals == ()


def test_headings_are_lower_cased(tmp_path):
    book = load_playbook(write(tmp_path, playbook_data(clause("a", headings=["  Termination For Convenience "]))))
    assert book.get("a").headings == ("termination for convenience",)


def test_bad_severity_names_file_clause_and_field(tmp_path):
    data = playbook_data(clause("termination_for_cause"), clause("termination_for_convenience", severity="urgent"))
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.startswith(f"{path}: clause 'termination_for_convenience' (#2): field 'severity' must be one of high, medium, low (got 'urgent')")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), start=1) if "urgent" in text)
    assert problem.endswith(f"(line {line})")


def test_missing_required_field(tmp_path):
    data = playbook_data(clause("a"))
    del data["clauses"][0]["why"]
    assert only_problem(write(tmp_path, data)).startswith(f"{tmp_path / 'x.yaml'}: clause 'a' (#1): field 'why' is required")


def test_missing_top_level_fields(tmp_path):
    problems = validate_playbook(write(tmp_path, {"schema_version": 1}))
    assert any("field 'name' is required" in p for p in problems)
    assert any("field 'clauses' is required" in p for p in problems)


def test_clause_without_id_is_named_by_position(tmp_path):
    data = playbook_data(clause("a"), clause("b"))
    del data["clauses"][1]["id"]
    assert ": clause #2: field 'id' is required" in only_problem(write(tmp_path, data))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"headings": "termination"}, "clause 'a' (#1): field 'headings' must be a list (got a string)"),
        ({"name": 123}, "clause 'a' (#1): field 'name' must be a string (got a number 123)"),
        ({"fallback": "   "}, "clause 'a' (#1): field 'fallback' must not be empty"),
        ({"exemplars": ["ok", 5]}, "clause 'a' (#1): field 'exemplars' item #2 must be a string (got a number 5)"),
        ({"elements": "notice"}, "clause 'a' (#1): field 'elements' must be a list (got a string)"),
        ({"elements": ["notice"]}, "clause 'a' (#1): element #1: must be a mapping"),
        ({"severity": None}, "clause 'a' (#1): field 'severity' must be one of high, medium, low (got None)"),
    ],
)
def test_wrong_types(tmp_path, overrides, expected):
    problem = only_problem(write(tmp_path, playbook_data(clause("a", **overrides))))
    assert problem.startswith(f"{tmp_path / 'x.yaml'}: {expected}")


def test_unknown_fields_are_named_with_the_valid_ones(tmp_path):
    data = playbook_data(clause("a"))
    data["clauses"][0]["sevrity"] = "high"
    data["clauses"][0]["elements"][0]["regex"] = ["x"]
    data["author"] = "me"
    problems = validate_playbook(write(tmp_path, data))
    assert len(problems) == 3
    top, in_clause, in_element = sorted(problems, key=lambda p: ("element" in p, "clause" in p))
    assert "unknown field 'author'" in top and "valid top-level fields: schema_version, name, description, clauses" in top
    assert "clause 'a' (#1): unknown field 'sevrity' (did you mean 'severity'?)" in in_clause
    assert "valid clause fields: id, name, group, description, why, severity, headings, signals, exemplars, elements, fallback" in in_clause
    assert "clause 'a' (#1): element 'notice_period' (#1): unknown field 'regex'" in in_element
    assert "valid element fields: id, name, description, patterns" in in_element


def test_duplicate_clause_ids(tmp_path):
    problem = only_problem(write(tmp_path, playbook_data(clause("a"), clause("b"), clause("a"))))
    assert "clause 'a' (#3): duplicate clause id 'a' (first used by clause #1)" in problem


def test_duplicate_element_ids(tmp_path):
    problem = only_problem(write(tmp_path, playbook_data(clause("a", elements=[element("x"), element("x")]))))
    assert "clause 'a' (#1): element 'x' (#2): duplicate element id 'x' (first used by element #1)" in problem


@pytest.mark.parametrize("bad_id", ["Termination-For-Cause", "termination for cause", "2nd_clause", "double__underscore", "trailing_"])
def test_ids_must_be_snake_case(tmp_path, bad_id):
    problem = only_problem(write(tmp_path, playbook_data(clause(bad_id))))
    assert f"clause '{bad_id}' (#1): field 'id' must be snake_case" in problem


def test_element_id_must_be_snake_case(tmp_path):
    problem = only_problem(write(tmp_path, playbook_data(clause("a", elements=[element("NoticePeriod")]))))
    assert "clause 'a' (#1): element 'NoticePeriod' (#1): field 'id' must be snake_case" in problem


def test_invalid_regex_shows_the_regex_and_the_error(tmp_path):
    problem = only_problem(write(tmp_path, playbook_data(clause("a", signals=[r"\bok\b", "terminat(ion"]))))
    assert "clause 'a' (#1): field 'signals' item #2 is not a valid regex 'terminat(ion': missing ), unterminated subpattern" in problem


def test_invalid_element_pattern(tmp_path):
    problem = only_problem(write(tmp_path, playbook_data(clause("a", elements=[element(patterns=["[0-9"])]))))
    assert "clause 'a' (#1): element 'notice_period' (#1): field 'patterns' item #1 is not a valid regex '[0-9'" in problem


@pytest.mark.parametrize("pattern", [r"(?:\w+\s?)*end", r"(a+)+b", r"(?:x[^.]{0,80})*y", r"(?:ab|\d+)+c"])
def test_catastrophic_regexes_are_rejected(tmp_path, pattern):
    problem = only_problem(write(tmp_path, playbook_data(clause("a", signals=[pattern]))))
    assert "backtrack catastrophically" in problem and repr(pattern) in problem


@pytest.mark.parametrize("pattern", [r"(?:\w+\s+){0,3}harmless", r"terminat\w*[^.]{0,80}\bfor convenience", r"(?:\s*\(\d+\))?days"])
def test_bounded_regexes_are_accepted(tmp_path, pattern):
    assert validate_playbook(write(tmp_path, playbook_data(clause("a", signals=[pattern])))) == []


def test_regex_matching_empty_text_is_rejected(tmp_path):
    assert "matches empty text" in only_problem(write(tmp_path, playbook_data(clause("a", signals=["x?"]))))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"exemplars": []}, "field 'exemplars' must contain at least 1 item"),
        ({"elements": []}, "field 'elements' must contain at least 1 element"),
        ({"elements": [element(patterns=[])]}, "element 'notice_period' (#1): field 'patterns' must contain at least 1 item"),
        ({"headings": [], "signals": []}, "fields 'headings' and 'signals' are both empty or missing"),
    ],
)
def test_empty_lists(tmp_path, overrides, expected):
    problem = only_problem(write(tmp_path, playbook_data(clause("a", **overrides))))
    assert problem.startswith(f"{tmp_path / 'x.yaml'}: clause 'a' (#1): ")
    assert expected in problem


def test_empty_clause_list(tmp_path):
    data = playbook_data()
    data["clauses"] = []
    assert "field 'clauses' must contain at least 1 clause" in only_problem(write(tmp_path, data))


def test_yaml_syntax_error_gives_the_line(tmp_path):
    text = "schema_version: 1\nname: Broken\nclauses:\n  - id: a\n    name: [unclosed\n    group: x\n"
    problem = only_problem(write(tmp_path, text))
    assert problem.startswith(f"{tmp_path / 'x.yaml'}: YAML syntax error at line ")
    assert re.search(r"line [5-7], column \d+", problem)


def test_duplicate_yaml_keys_are_reported(tmp_path):
    text = yaml.safe_dump(playbook_data(clause("a")), sort_keys=False).replace("  severity: high\n", "  severity: high\n  severity: low\n")
    path = write(tmp_path, text)
    line = path.read_text().splitlines().index("  severity: low") + 1
    assert only_problem(path) == f"{path}: line {line}: duplicate key 'severity' (YAML keeps only the last value)"


def test_schema_version_must_be_supported(tmp_path):
    data = playbook_data()
    data["schema_version"] = 2
    assert "field 'schema_version' must be 1 (got 2)" in only_problem(write(tmp_path, data))


@pytest.mark.parametrize(("text", "expected"), [("", "the file is empty"), ("- a\n- b\n", "the top level must be a mapping")])
def test_top_level_shape(tmp_path, text, expected):
    assert expected in only_problem(write(tmp_path, text))


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    assert validate_playbook(path) == [f"{path}: playbook file not found"]
    with pytest.raises(PlaybookError, match="playbook file not found"):
        load_playbook(path)


def test_relative_path_is_shown_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "books").mkdir()
    write(tmp_path / "books", playbook_data(clause("a", severity="urgent")), name="mine.yaml")
    assert only_problem(Path("books/mine.yaml")).startswith("books/mine.yaml: clause 'a' (#1): field 'severity'")


def test_several_problems_are_reported_at_once(tmp_path):
    data = playbook_data(
        clause("termination_for_cause", severity="urgent"),
        clause("Bad-Id"),
        clause("c", elements=[element(patterns=["(unclosed"])], exemplars=[]),
    )
    del data["clauses"][0]["fallback"]
    path = write(tmp_path, data)
    problems = validate_playbook(path)
    assert len(problems) == 5, problems
    assert all(p.startswith(f"{path}: clause ") for p in problems)
    expected = [
        "clause 'termination_for_cause' (#1): field 'fallback' is required",
        "clause 'termination_for_cause' (#1): field 'severity' must be one of",
        "clause 'Bad-Id' (#2): field 'id' must be snake_case",
        "clause 'c' (#3): field 'exemplars' must contain at least 1 item",
        "clause 'c' (#3): element 'notice_period' (#1): field 'patterns' item #1 is not a valid regex '(unclosed'",
    ]
    for fragment in expected:
        assert any(fragment in p for p in problems), fragment

    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    assert isinstance(info.value, ValueError)
    assert info.value.problems == problems
    assert str(info.value) == "\n".join(problems)


def test_default_playbook_declares_where_key_terms_are_read(playbook):
    assert playbook.key_term_clauses("liability_cap") == ("limitation_of_liability",)
    assert playbook.key_term_clauses("termination_assistance_period") == ("termination_assistance", "exit_management")
    assert playbook.key_term_clauses("parties") is None  # read from the whole document


def test_key_terms_name_known_terms_and_defined_clauses(tmp_path):
    data = playbook_data(clause("termination_for_convenience"))
    data["key_terms"] = {"notice_to_terminate_for_convenience": ["termination_for_convenience"]}
    assert load_playbook(write(tmp_path, data)).key_terms == (("notice_to_terminate_for_convenience", ("termination_for_convenience",)),)
    data["key_terms"] = {"liabilty_cap": ["termination_for_convenience"]}
    assert "unknown key term 'liabilty_cap' (did you mean 'liability_cap'?); valid key terms: parties" in only_problem(write(tmp_path, data))
    data["key_terms"] = {"liability_cap": ["limitation_of_liability"]}
    assert "key_terms: liability_cap: unknown clause id(s) 'limitation_of_liability'; valid ids: termination_for_convenience" in only_problem(write(tmp_path, data))
    data["key_terms"] = {"liability_cap": "limitation_of_liability"}
    assert "must be a non-empty list of clause ids" in only_problem(write(tmp_path, data))
