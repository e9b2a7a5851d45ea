"""Follow-up questions rewritten into standalone ones ("and for cause?", "what about the NDA?", "is there a fee?"),
deterministically, and the documents a conversation is about (named now, or earlier and still in force)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..retrieval.names import DocumentNames
from ..retrieval.resolution import DocumentResolver
from ..text.naming import DOC_PHRASE, DOCUMENT_ACRONYMS, POSSESSIVE, naming_phrases
from .questions import content_terms
from .routing import CROSS

ELLIPTICAL = re.compile(r"^\s*(?:and\s+(?:what|how)\s+about|what\s+about|how\s+about|what\s+of|and\s+also|and|also|same\s+for|likewise\s+for)\b[\s,:]*(?P<topic>.*?)[\s?.!]*$", re.IGNORECASE)
WH_START = re.compile(r"^\s*(?:what|which|who|whom|whose|when|where|why|how|does|do|is|are|can|could|must|may|will|shall|has|have|did|was|were|should|compare|list|show|give|explain|summari[sz]e|describe)\b", re.I)
PREPOSITION = re.compile(r"^(for|in|under|on|of|with|by|to|from|at|within|after|before|during)\s+(.+)$", re.IGNORECASE)
STOP_PHRASE = r"(?=\s+(?:for|in|under|on|of|with|by|to|from|at|within|after|before|during|and|or)\b|[,;?.!]|$)"
OPEN_QUESTION = re.compile(r"^\s*(?:what|which|who|whom|whose|when|where|how)\b", re.I)
ANAPHORA = re.compile(r"\b(?:it|its|this|that|these|those|the\s+same)\s*(?:agreement|contract|document)?\b", re.IGNORECASE)
MAX_HISTORY = 6  # earlier turns replayed to resolve a follow-up


@dataclass(frozen=True)
class Rewrite:
    question: str  # standalone
    doc_ids: tuple[str, ...] = ()  # documents the conversation is about (named now or earlier)


class FollowUps:
    """Deterministic rewriting of follow-up questions into standalone ones, using the document resolver."""

    def __init__(self, resolver: DocumentResolver, names: DocumentNames):
        self.resolver = resolver
        self.document_names = names

    def documents(self, text: str) -> tuple[str, ...]:
        """Documents a question names: by file name, "In the X, ...", a document phrase ("the QuickFix
        agreement", "the NDA", "the outsourcing policy") or a party name found in one document only."""
        resolution = self.resolver.run(text)
        if resolution.doc_ids:
            return tuple(resolution.doc_ids)
        found: list[str] = []
        for phrase in naming_phrases(text):
            named = self.resolver.run(f"In the {phrase}, which?").doc_ids or self.resolver.run(f"about {phrase}").preferred
            found.extend(self._same_number(phrase, named))
        names = self.names()
        for word in re.findall(r"\b[A-Z][\w&-]+", text):
            if len(names.get(word.lower(), ())) == 1:
                found.extend(names[word.lower()])
        return tuple(dict.fromkeys(found))

    def _same_number(self, phrase: str, doc_ids) -> list[str]:
        """For "SOW 2" or "Schedule 4", keep the documents whose title or file name carries that number."""
        number = re.search(r"(?i)\b(?:sow|schedule|statement\s+of\s+work)\s*0*(\d+)\b", phrase)
        if not number:
            return list(doc_ids)
        pattern = re.compile(rf"(?i)\b(?:sow|schedule|statement\s+of\s+work)[\s_-]*0*{number.group(1)}(?!\d)")
        same = []
        snapshot = self.document_names.current()
        for doc_id in doc_ids:
            if pattern.search(snapshot.file_names.get(doc_id, "").replace("_", " ")) or pattern.search(snapshot.titles.get(doc_id, "")):
                same.append(doc_id)
        return same or list(doc_ids)

    def names(self) -> dict[str, frozenset[str]]:
        """Words that name a party or document -> the documents they name: the first word of each
        company named in a document's opening (QuickFix, NimbusGrid, Veridian) and file-name acronyms (MSA, NDA)."""
        return self.document_names.current().words

    def roles(self) -> dict[tuple[str, str], str]:
        """(party word, doc id) -> the stem of the role the document defines for that party
        ('Veridian Systems Limited (the "Supplier")' -> ("veridian", doc) -> "supplier")."""
        return self.document_names.current().roles

    def parties(self, text: str) -> frozenset[str]:
        """Documents whose parties include every company the text names (empty when it names none)."""
        names = self.names()
        sets = [names[w.lower()] for w in re.findall(r"\b[A-Z][\w&-]+", text) if w.lower() in names and w.lower() not in DOCUMENT_ACRONYMS]
        if not sets:
            return frozenset()
        return frozenset.intersection(*sets) or frozenset.union(*sets)

    def names_document(self, topic: str) -> bool:
        """Whether a follow-up's topic ("QuickFix", "the NDA") is a document rather than a subject ("for cause")."""
        return bool(self.documents(topic if re.search(r"[A-Z]", topic) else f"the {topic}")) and bool(re.search(r"[A-Z]", topic) or DOC_PHRASE.search(topic))

    def run(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Rewrite:
        """The standalone form of ``question`` given the earlier (question, answer) pairs, oldest first."""
        question = question.strip()
        history = tuple(history)[-MAX_HISTORY:]
        if not history or CROSS.search(question):  # a question across the contracts stands alone
            return Rewrite(question, self.documents(question))
        previous = self.run(history[-1][0], history[:-1])
        elliptical = ELLIPTICAL.match(question)
        topic = elliptical.group("topic").strip() if elliptical else ""
        if topic and self._asks_on_its_own(topic):  # "And which law governs it?": a question of its own, about the same contract
            question, topic = topic, ""
        if not elliptical and not WH_START.match(question) and len(content_terms(question)) <= 4:
            topic = question.strip(" ?.!")
        if topic:
            standalone = self._merge(previous.question, topic)
        elif len(content_terms(question)) <= 2 and not self.documents(question) and not self._asks_on_its_own(question):
            # "Is there a fee?" after a question about termination: the same subject, a new angle
            standalone = f"{question.rstrip(' ?')} (following up: {previous.question.rstrip(' ?')})?"
        else:
            standalone = question
        named = self.documents(standalone)
        if named:
            return Rewrite(standalone, named)
        if previous.doc_ids and (topic or ANAPHORA.search(question) or not self.documents(question)):
            snapshot = self.document_names.current()
            names = [snapshot.file_names[d] for d in previous.doc_ids[:1] if d in snapshot.file_names]
            if names and names[0].lower() not in standalone.lower():
                standalone = f"{standalone.rstrip(' ?')} (in {names[0]})?"
            return Rewrite(standalone, previous.doc_ids)
        return Rewrite(standalone, ())

    @staticmethod
    def _asks_on_its_own(question: str) -> bool:
        """An open question with a subject of its own ("Which law governs it?"), not a new angle on the last one
        ("Is there a fee?", "How long?"): it keeps only the conversation's documents."""
        return bool(OPEN_QUESTION.match(question)) and len(content_terms(question)) >= 2

    def _merge(self, previous: str, topic: str) -> str:
        """The previous question with the follow-up's topic substituted for the part it replaces."""
        topic = re.sub(r"^(?:the\s+same\s+for|for\s+the\s+same\s+in)\s+", "", topic, flags=re.I)
        if self.names_document(topic):
            return _replace_document(previous, topic)
        prep = PREPOSITION.match(topic)
        if prep:
            pattern = re.compile(rf"\b{prep.group(1)}\s+(?!the\s+(?:[A-Z]\w*\s+)*(?:agreement|contract|MSA|NDA)\b).+?{STOP_PHRASE}", re.IGNORECASE)
            matches = [m for m in pattern.finditer(previous) if not DOC_PHRASE.fullmatch(m.group(0).split(None, 1)[1])]
            if matches:
                m = matches[-1]
                return previous[: m.start()] + topic + previous[m.end() :]
        words = topic.split()
        if len(words) >= 2:
            lead = re.escape(" ".join(words[:-1]))
            m = re.search(rf"\b{lead}\s+\S+?{STOP_PHRASE}", previous, re.IGNORECASE)
            if m:
                return previous[: m.start()] + topic + previous[m.end() :]
        shape = re.sub(r"\d+", r"\\d+", re.escape(words[-1])) if words and re.search(r"\d", words[-1]) else ""
        if shape:
            m = re.search(rf"\b{shape}\b", previous)
            if m:
                return previous[: m.start()] + words[-1] + previous[m.end() :]
        core = previous.rstrip(" ?")
        return f"{core}, regarding {topic}?"


def _replace_document(previous: str, topic: str) -> str:
    """``previous`` about the document ``topic`` names instead of the one it named (or about it, if it named none)."""
    bare = re.sub(r"^(?:the\s+)", "", topic.strip(), flags=re.I)
    possessive = POSSESSIVE.search(previous)
    doc = None
    for m in DOC_PHRASE.finditer(previous):
        if re.search(r"[A-Z]{2,}|[A-Z][a-z]+[A-Z]|\b(?:the\s+)?[A-Z]", m.group("doc")):
            doc = m
    if doc is not None:
        article = "" if re.match(r"^the\s", topic, re.I) else "the "
        replacement = f"{article}{topic}" if not re.search(r"\b(?:agreement|contract|terms|policy|nda|msa|dpa|sow|schedule)\b", topic, re.I) else topic
        return previous[: doc.start("doc")] + replacement + previous[doc.end("doc") :]
    if possessive:
        return previous[: possessive.start()] + f"{bare}'s" + previous[possessive.end() :]
    return f"{previous.rstrip(' ?')} under {topic}?"
