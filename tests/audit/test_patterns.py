"""PatternSet answers exactly what Python's re answers, while searching only a few candidates."""

import re

import pytest

from assistant.audit.patterns import PatternSet, without_lookarounds
from assistant.audit.playbook import REGEX_FLAGS
from assistant.audit.playbook_files import load_playbook
from assistant.ingest.loading import load_document
from assistant.text.normalise import collapse_whitespace as normalize_text

from ..paths import CORPUS


def _brute_force(patterns: list[re.Pattern[str]], text: str) -> list[int]:
    return [i for i, p in enumerate(patterns) if p.search(text)]


def test_default_playbook_signals_on_the_corpus_match_exactly_what_re_finds():
    patterns = [p for c in load_playbook().clauses for p in c.signals]
    patterns_set = PatternSet(patterns)
    paragraphs = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix.lower() in {".txt", ".md", ".html", ".docx", ".pdf"}:
            text = load_document(path).text
            paragraphs += [normalize_text(p) for p in re.split(r"\n\s*\n", text) if p.strip()]
    assert len(paragraphs) > 200
    searched = matched = 0
    for text in paragraphs:
        expected = _brute_force(patterns, text)
        assert patterns_set.matching(text) == expected, text[:120]
        searched += len(patterns_set.candidates(text))
        matched += len(expected)
    assert matched > 100  # the corpus does exercise the playbook
    assert searched < 0.2 * len(patterns) * len(paragraphs)  # and the prefilter spares most searches


def test_lookarounds_are_honoured_by_re_after_the_prefilter_drops_them():
    notice = re.compile(r"\bterminat\w*[^.]{0,40}\bnotice\b(?![^.]{0,40}\bbreach\b)", REGEX_FLAGS)
    behind = re.compile(r"(?<!professional )\bindemnity\b", REGEX_FLAGS)
    patterns = PatternSet([notice, behind])
    assert patterns.matching("Either party may terminate on 30 days' notice.") == [0]
    assert patterns.matching("Either party may terminate on notice of a material breach.") == []
    assert patterns.matching("The indemnity in clause 9 applies.") == [1]
    assert patterns.matching("Professional indemnity insurance of GBP 5m.") == []


def test_without_lookarounds_keeps_classes_and_escaped_parentheses():
    assert without_lookarounds(r"a(?!b(c)[)])d(?<=x\))e") == "ade"
    assert without_lookarounds(r"[(?!]x\(?=y") == r"[(?!]x\(?=y"
    assert without_lookarounds(r"(?:(?!\bfee\b)[^.]){0,40}\bschedule\b") == r"(?:[^.]){0,40}\bschedule\b"


def test_patterns_re2_cannot_parse_are_searched_on_every_text():
    repeated = re.compile(r"\b(\w+) \1\b", REGEX_FLAGS)  # a backreference: no RE2 equivalent
    fee = re.compile(r"\bexit fee\b", REGEX_FLAGS)
    patterns = PatternSet([repeated, fee])
    assert patterns.candidates("nothing here") == [0]
    assert patterns.matching("the the exit fee") == [0, 1]
    assert patterns.matching("an exit fee") == [1]


@pytest.mark.parametrize("text, expected", [("Term of the Agreement", [0, 1]), ("TERM", [1]), ("Ébauche", [2]), ("", [])])
def test_case_rules_follow_each_pattern(text, expected):
    patterns = PatternSet([re.compile("Term"), re.compile("term", re.IGNORECASE), re.compile("ébauche", re.IGNORECASE)])
    assert patterns.matching(text) == expected


def test_an_empty_set_matches_nothing():
    assert PatternSet([]).matching("anything") == []
