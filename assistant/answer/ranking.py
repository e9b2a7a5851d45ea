"""The answerer's sentence ranker: every sentence of the retrieved passages scored against the question.

The score adds (see ``WEIGHTS``): lexical, the question's words found in the sentence weighted by rarity,
with partial credit for words in its lead-in, inline heading or table header, for related contract words,
and for words only in the section heading or elsewhere in the passage; semantic, embedding similarity (for a
shortlist, ``retrieval.sentence_scoring``); rank, the passage's position; value, the sentence states the kind
of value asked for; phrase, the question's word pairs found together; definition, it defines the term asked
about; operative, it is a contract term (shall, may, must). ``coverage`` is the weighted share of question
words the sentence (or its headings) holds: the refusal decision uses it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import numpy as np

from ..audit.playbook import Playbook
from ..core.documents import Chunk, Passage
from ..index.embeddings import CachedEmbedder
from ..index.idf import smoothed_idf
from ..index.store import Index
from ..retrieval.names import DocumentNames
from ..retrieval.resolution import DocumentResolver, file_prefix_matches
from ..retrieval.sentence_scoring import shortlist_similarity
from ..text.headings import is_heading, is_label
from ..text.naming import DOCUMENT_ACRONYMS, ROLE_NOUNS, naming_phrases, party_role_words
from ..text.sentences import LIST_ITEM, sentence_units
from ..text.tables import is_row, is_rule, read_row, tables
from ..text.tokenization import tokenize
from .key_values import value_strength
from .questions import RELATED, content_terms, defines, word_pairs, words_of
from .verification import looks_like_instruction

SHORTLIST = 10
PARTY_WEIGHT = 0.5  # a party named in the question, matched by the role the document gives it
OTHER_PARTIES_PENALTY = 0.2  # a question about Veridian is not answered from the NimbusGrid contract
WEIGHTS = {"lexical": 0.5, "semantic": 0.35, "rank": 0.1, "value": 0.08, "operative": 0.04, "definition": 0.1, "phrase": 0.08}
RELATED_WEIGHT = 0.6  # a related contract word in the sentence ("cap" -> "shall not exceed")
INHERITED_WEIGHT = 0.8  # the word is in the lead-in, inline heading or table header the sentence belongs to
SECTION_WEIGHT, SECTION_COVERAGE = 0.5, 0.8  # the word is in the section heading path
AROUND_WEIGHT = 0.25  # the word is elsewhere in the passage
PARTY_REFERENCE = re.compile(r"\b(?:[Pp]art(?:y|ies)|[Ww]e|us|[Oo]urs?|[Yy]ou|[Yy]our)\b|\b(?:" + "|".join(sorted(w.capitalize() for w in ROLE_NOUNS)) + r")s?\b")
LISTED_WEIGHT = 0.5  # a word only in a list of clause names ("... survive: confidentiality, indemnification, governing law")
LISTED_CLAUSES = 3  # a run naming this many different playbook clauses is a list of names, not a term
LIST_GAP = re.compile(r"(?:[\s,;:()\[\].&/-]|\d|\b(?:and|or|sections?|articles?|clauses?|paragraphs?|the|its|their)\b|§)*", re.I)
OPERATIVE = re.compile(r"\b(?:shall|must|will|may|agrees?|is\s+entitled)\b", re.IGNORECASE)


@dataclass
class Candidate:
    """A sentence of a retrieved passage and how well it answers; offsets are within the chunk's text."""

    chunk: Chunk
    rank: int
    start: int
    end: int
    lexical: float
    coverage: float
    semantic: float = 0.0
    value: float = 0.0
    operative: float = 0.0
    definition: float = 0.0
    phrase: float = 0.0
    lead: bool = False
    lead_start: int = -1  # where the lead-in ("... must be given:") of a list item starts, when it is one
    header: str = ""  # the header row of the table the sentence is a row of
    score: float = 0.0
    unseen: float = 0.0  # weighted share of the question's words found in none of the retrieved passages
    party: float = 0.0  # the part of ``lexical`` and ``coverage`` that is a party the question names (it picks the contract, it does not answer)

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]

    def overlaps(self, other: "Candidate") -> bool:
        return (self.chunk.doc_id == other.chunk.doc_id and self.chunk.start + self.start < other.chunk.start + other.end
                and other.chunk.start + other.start < self.chunk.start + self.end)


@dataclass
class _Generation:
    """Everything derived from one catalog generation (rebuilt when documents change)."""

    number: int
    idf: dict[str, float]
    default_idf: float
    number_idf: float
    units: dict[str, list[tuple[int, int, frozenset, bool]]] = field(default_factory=dict)
    chunk_words: dict[str, frozenset] = field(default_factory=dict)
    header_rows: dict[str, frozenset] = field(default_factory=dict)
    party_stems: dict[str, frozenset] = field(default_factory=dict)


class SentenceRanker:
    """``rank(question, passages, kind, scope)`` -> candidate sentences, best first."""

    def __init__(self, index: Index, embedder: CachedEmbedder, names: DocumentNames, resolver: DocumentResolver,
                 playbook: Playbook | None = None):
        self.index = index
        self.clause_names = ClauseNames(playbook) if playbook is not None else None
        self.embedder = embedder
        self.names = names
        self.resolver = resolver
        self._generation: _Generation | None = None
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()

    def rank(self, question: str, passages: list[Passage], kind: str = "", scope: tuple[str, ...] = ()) -> list[Candidate]:
        """Candidate sentences of the passages, best first (headings and instruction-like sentences never qualify)."""
        generation = self.current()
        terms = self.question_terms(question)
        weights = {t: generation.idf.get(t, generation.default_idf) if not t.startswith("#") else generation.number_idf for t in terms}
        roles = self.names.current().roles
        for word in self._party_words(question):
            if any(w == word for w, _ in roles):
                weights["@" + word] = generation.number_idf * PARTY_WEIGHT
        for role in role_terms(self._without_names(question)) - set(terms):  # "can the customer ...": any party answers for it
            weights["%" + role] = generation.number_idf * PARTY_WEIGHT
        total = sum(weights.values()) or 1.0
        pairs = {p for p in word_pairs(self._without_names(question)) if all(x in weights for x in p.split(">"))}
        preferred = set(self.resolver.run(question).preferred) if not scope else set()
        parties = self.documents_of_parties(question) if not scope else frozenset()
        candidates: list[Candidate] = []
        seen = frozenset().union(*(self._chunk_words(generation, p.chunk) | words_of(p.chunk.section_path) for p in passages)) if passages else frozenset()
        unseen = sum(w for t, w in weights.items() if t[0] not in "@%" and t not in seen and not RELATED.get(t, frozenset()) & seen) / total
        for rank, passage in enumerate(passages):
            chunk = passage.chunk
            section = words_of(chunk.section_path)
            around = self._chunk_words(generation, chunk)
            lead: frozenset[str] = frozenset()
            lead_at = -1
            label: frozenset[str] = frozenset()
            header = words_of(chunk.table_header) if chunk.table_header else None  # the chunk starts among a table's rows
            header_text = chunk.table_header
            header_rows = self._header_rows(generation, chunk)
            for a, b, words, instruction, listed in self._units(generation, chunk):
                sentence = chunk.text[a:b]
                in_table = (a, b) in header_rows or is_row(sentence)
                inherited = (lead if LIST_ITEM.match(sentence) or in_table else frozenset()) | label  # "... as follows:" leads its items and rows
                lead = words if sentence.rstrip().endswith(":") else inherited
                lead_at = a if sentence.rstrip().endswith(":") else (lead_at if LIST_ITEM.match(sentence) else -1)
                if is_label(sentence):  # "Section 14.2 Cap." names what the next sentences are about
                    label = words
                    continue
                if (a, b) in header_rows:  # a header row names the columns: its rows read with it, it answers nothing
                    header, header_text = words, sentence
                    continue
                if is_rule(sentence):
                    continue
                if is_row(sentence):
                    if header is not None:
                        inherited = inherited | header
                else:
                    header, header_text = None, ""
                if is_heading(sentence) or instruction:
                    continue
                found = covered = named = 0.0
                for term, weight in weights.items():
                    if term[0] in "@%":  # a party, by the role this document gives it; a party's role, by any party
                        word = term[1:]
                        if term[0] == "@":
                            hit = 1.0 if word in words or roles.get((word, chunk.doc_id), word) in words else 0.0
                        else:
                            hit = 1.0 if word in words or PARTY_REFERENCE.search(sentence) or self._party_stems(generation, chunk.doc_id) & words else 0.0
                        found += weight * hit
                        covered += weight * hit
                        named += weight * hit
                        continue
                    if term in words:
                        here = LISTED_WEIGHT if term in listed else 1.0
                    elif term in inherited:
                        here = INHERITED_WEIGHT
                    elif RELATED.get(term, frozenset()) & words:
                        here = RELATED_WEIGHT
                    elif RELATED.get(term, frozenset()) & inherited:
                        here = RELATED_WEIGHT * INHERITED_WEIGHT
                    else:
                        here = 0.0
                    in_section = term in section
                    found += weight * max(here, SECTION_WEIGHT if in_section else AROUND_WEIGHT if term in around else 0.0)
                    covered += weight * max(here, SECTION_COVERAGE if in_section else 0.0)
                lexical = found / total
                phrase = sum(1 for pair in pairs if pair in words) / len(pairs) if pairs else 0.0
                candidate = Candidate(chunk, rank, a, b, lexical, covered / total)
                candidate.unseen = unseen
                candidate.party = named / total
                candidate.header = header_text if is_row(sentence) else ""
                candidate.operative = 1.0 if OPERATIVE.search(sentence) else 0.0
                candidate.phrase = phrase
                candidate.lead = bool(sentence.rstrip().endswith(":"))
                read = f"{chunk.text[lead_at:a]} {sentence}" if lead_at >= 0 and LIST_ITEM.match(sentence) else sentence
                candidate.value = value_strength(kind, read_row(read, candidate.header), question)
                candidate.definition = 1.0 if defines(sentence, terms) else 0.0
                if chunk.doc_id in preferred:
                    candidate.lexical += 0.05
                if parties and chunk.doc_id not in parties:
                    candidate.lexical -= OTHER_PARTIES_PENALTY
                candidates.append(candidate)
        if not candidates:
            return []
        for c in candidates:
            c.score = (WEIGHTS["lexical"] * c.lexical + WEIGHTS["rank"] / (1 + c.rank) + WEIGHTS["value"] * c.value
                       + WEIGHTS["operative"] * c.operative + WEIGHTS["definition"] * c.definition + WEIGHTS["phrase"] * c.phrase)
        candidates.sort(key=lambda c: -c.score)
        shortlist = list(range(min(SHORTLIST, len(candidates))))
        similarity = shortlist_similarity(len(candidates), shortlist, self._sentence_vectors([candidates[i].text for i in shortlist]),
                                          self.embedder.embed_query(question))
        for i, c in enumerate(candidates):
            if i < len(shortlist):
                c.semantic = float(similarity[i])
            c.score += WEIGHTS["semantic"] * float(similarity[i])
        _follow_lead_ins(candidates)
        candidates.sort(key=lambda c: -c.score)
        return candidates

    def question_terms(self, question: str) -> list[str]:
        """Content words and numbers, without the words that only name a party or document (Veridian, QuickFix, MSA)
        or say which party by its role ("can the customer ...", "can we ..."): the clause that answers may say "either
        party", "each party" or the party's defined name, so a role word it lacks must not count against it."""
        stripped = self._without_names(question)
        terms = content_terms(stripped)
        roles = role_terms(stripped)
        return [t for t in terms if t not in roles] or terms or content_terms(question)

    def documents_of_parties(self, text: str) -> frozenset[str]:
        """Documents whose parties include every company the text names (empty when it names none)."""
        names = self.names.current().words
        sets = [names[w.lower()] for w in re.findall(r"\b[A-Z][\w&-]+", text) if w.lower() in names and w.lower() not in DOCUMENT_ACRONYMS]
        if not sets:
            return frozenset()
        return frozenset.intersection(*sets) or frozenset.union(*sets)

    def _party_words(self, question: str) -> list[str]:
        """Companies the question names that contracts call by a role (Harbourline -> Customer, Veridian -> Supplier)."""
        names = self.names.current().words
        return list(dict.fromkeys(w.lower() for w in re.findall(r"\b[A-Z][\w&-]+", question)
                                  if w.lower() in names and w.lower() not in DOCUMENT_ACRONYMS))

    def _without_names(self, question: str) -> str:
        """The question without what names a document or party: its phrases ("the QuickFix agreement"), file names
        or their beginnings ("quickfix_support"), company words."""
        snapshot = self.names.current()
        names = snapshot.words
        question = file_prefix_matches(question, snapshot.lower_names)[1]
        for phrase in naming_phrases(question):
            question = question.replace(phrase, " ")
        return " ".join(w for w in re.split(r"(\s+)", question) if re.sub(r"(?:'s|’s)?\W*$", "", w).lower() not in names or not w[:1].isupper())

    def _party_stems(self, generation: _Generation, doc_id: str) -> frozenset[str]:
        """The words that name a document's parties ("kubient") and the roles it defines for them."""
        found = generation.party_stems.get(doc_id)
        if found is None:
            snapshot = self.names.current()
            named = [w for w, docs in snapshot.words.items() if doc_id in docs and w not in DOCUMENT_ACRONYMS]
            named += [role for (w, d), role in snapshot.roles.items() if d == doc_id]
            found = generation.party_stems[doc_id] = frozenset(tokenize([" ".join(named)])[0]) if named else frozenset()
        return found

    def _chunk_words(self, generation: _Generation, chunk: Chunk) -> frozenset[str]:
        words = generation.chunk_words.get(chunk.id)
        if words is None:
            words = generation.chunk_words[chunk.id] = words_of(chunk.text)
        return words

    def _header_rows(self, generation: _Generation, chunk: Chunk) -> frozenset[tuple[int, int]]:
        """``[start, end)`` of the header rows of the tables in a chunk."""
        rows = generation.header_rows.get(chunk.id)
        if rows is None:
            rows = generation.header_rows[chunk.id] = frozenset(t.header for t in tables(chunk.text) if t.header is not None)
        return rows

    def _units(self, generation: _Generation, chunk: Chunk) -> list[tuple[int, int, frozenset, bool, frozenset]]:
        """Sentence spans of a chunk with their words, numbers and adjacent word pairs ("servic>deliveri"), whether
        the sentence reads like an instruction (a long pattern: tested once per sentence, not on every question), and
        the words it has only in a list of clause names."""
        units = generation.units.get(chunk.id)
        if units is None:
            units = [(a, b, words_of(chunk.text[a:b]) | word_pairs(chunk.text[a:b]), looks_like_instruction(chunk.text[a:b]),
                      self.clause_names.listed_words(chunk.text[a:b]) if self.clause_names is not None else frozenset())
                     for a, b in sentence_units(chunk.text)]
            generation.units[chunk.id] = units
        return units

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embedder.embed(missing)):
                self._vectors[text] = vector
        return np.array([self._vectors[t] for t in texts]) if texts else np.zeros((0, self.embedder.dimension), dtype=np.float32)

    def current(self) -> _Generation:
        """Per-generation caches: word rarity over all chunks (from the BM25 index's document frequencies), sentence units."""
        number = self.index.generation
        with self._lock:
            if self._generation is None or self._generation.number != number:
                chunks, frequencies = self.index.document_frequencies()
                n = max(1, chunks)
                idf = {t: smoothed_idf(n, d) for t, d in frequencies.items()}
                typical = float(np.median(list(idf.values()))) if idf else 1.0
                self._generation = _Generation(number, idf, smoothed_idf(n, 0), typical)
            return self._generation


class ClauseNames:
    """Lists of clause names in a sentence ("Sections 5 (Confidentiality), 7 (Indemnification) and 9 (Limitation of
    Liability) shall survive"): such a sentence names many clauses without stating any, so the question words it
    holds only there are weak evidence that it answers (else it is a magnet for every question)."""

    def __init__(self, playbook: Playbook):
        self.patterns = [(c.id, re.compile(r"\b(?:" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(c.headings, key=len, reverse=True))
                                           + r")s?\b", re.I)) for c in playbook.clauses if c.headings]

    def runs(self, text: str) -> list[tuple[int, int]]:
        """``[start, end)`` of each run of clause names, joined by list punctuation, section numbers, "and", "or",
        that names at least ``LISTED_CLAUSES`` different clauses."""
        found = sorted(((m.start(), -m.end(), cid) for cid, p in self.patterns for m in p.finditer(text)))
        mentions: list[tuple[int, int, str]] = []
        for start, minus_end, cid in found:
            if not mentions or start >= mentions[-1][1]:
                mentions.append((start, -minus_end, cid))
        runs: list[tuple[int, int]] = []
        group: list[tuple[int, int, str]] = []
        for mention in mentions + [(len(text) + 1, len(text) + 1, "")]:
            if group and mention[2] and LIST_GAP.fullmatch(text[group[-1][1] : mention[0]]):
                group.append(mention)
                continue
            if len({cid for _, _, cid in group}) >= LISTED_CLAUSES:
                runs.append((group[0][0], group[-1][1]))
            group = [mention]
        return runs

    def listed_words(self, text: str) -> frozenset[str]:
        """The words a sentence has only inside its lists of clause names."""
        runs = self.runs(text)
        if not runs:
            return frozenset()
        inside = " ".join(text[a:b] for a, b in runs)
        outside, last = [], 0
        for a, b in runs:
            outside.append(text[last:a])
            last = b
        outside.append(text[last:])
        return words_of(inside) - words_of(" ".join(outside))


def role_terms(question: str) -> set[str]:
    """The question's terms that only say which party ("customer", "we"): the stems of its party-role words that none
    of its other words share ("Can the developer use the developed software?" keeps "develop")."""
    roles = party_role_words(question)
    if not roles:
        return set()
    words = re.findall(r"[A-Za-z]+", question)
    other = set(tokenize([" ".join(w for w in words if w.lower() not in roles)])[0])
    return set(tokenize([" ".join(roles)])[0]) - other


def _follow_lead_ins(candidates: list[Candidate]) -> None:
    """A list item is read with its lead-in: it scores at least as well as the lead-in ("A notice of
    non-renewal must be given:" -> "(a) by the Customer, not less than six (6) months ...")."""
    by_chunk: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_chunk.setdefault(c.chunk.id, []).append(c)
    for group in by_chunk.values():
        group.sort(key=lambda c: c.start)
        lead: Candidate | None = None
        for c in group:
            if c.lead:
                lead = c
            elif lead is not None and LIST_ITEM.match(c.text):
                if c.score < lead.score - 0.01:
                    c.score = lead.score - 0.01
                c.lead_start = lead.start
            else:
                lead = None
