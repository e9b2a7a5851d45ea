"""How contracts and parties are named in text: company names with their legal form, the roles a contract
gives them ('Veridian Systems Limited (the "Supplier")'), file-name words, and the phrases a question uses
to name a document ("the QuickFix agreement", "the NDA", "under SOW 2").

Pure functions over text; ``retrieval.names.DocumentNames`` applies them to a workspace's documents.
"""

from __future__ import annotations

import re

PARTY_NAME = re.compile(r"\b([A-Z][A-Za-z0-9&.,'\- ]{1,80}?\s(?:plc|PLC|Ltd\.?|LTD\.?|Limited|LIMITED|LLC|L\.L\.C\.|Inc\.?|INC\.?|Incorporated|Corp\.?|CORP\.?"
                        r"|Corporation|CORPORATION|Co\.|Company|GmbH|S\.A\.|B\.V\.|N\.V\.|LLP|LP|L\.P\.|AG|SE|Pte\.? Ltd\.?|PTE, LTD\.))(?![A-Za-z])")
BETWEEN = re.compile(r"\bbetween\s*:?\s*(.{3,400}?)\s*(?:\(|,\s+a\s|,\s+an\s|\band\b)", re.IGNORECASE | re.DOTALL)
ROLE = re.compile(r"\((?:the\s+)?[\"“]([A-Z][\w ]{1,30}?)[\"”]\)")
NAME_CHARS = 600  # a document's opening, where its parties are named
ROLE_CHARS = 2500  # ... and defined ('Veridian Systems Limited (the "Supplier")')
DOCUMENT_ACRONYMS = {"msa", "nda", "dpa", "sow", "sla"}
GENERIC_DOC_WORDS = {"the", "this", "that", "agreement", "contract", "terms", "document", "its", "our", "their"}
NUMBERED_PART = re.compile(r"(?i)(?:sow|schedule|statement\s+of\s+work)\s*\d+")
DOC_PHRASE = re.compile(  # capitalised name words (case matters), then a document word (any case)
    r"(?P<pre>\b(?i:under|in|of|for|from|within|according\s+to)\s+)?(?P<doc>(?:[Tt]he|[A-Z][\w&-]+(?:'s|’s))\s+(?:[a-z][\w-]*\s+){1,2}(?i:policy|schedule|agreement|contract)\b"
    r"|(?:[Tt]he\s+)?(?:[A-Z][\w&.-]*\s+){0,3}"
    r"(?i:agreement|contract|terms|policy|nda|msa|dpa|sow\s*\d+|schedule\s*\d+|statement\s+of\s+work\s*\d*)\b)"
)
POSSESSIVE = re.compile(r"\b([A-Z][\w&-]+)(?:'s|’s)\b")
PROFILE_CHARS = 2000


def company_word(company: str) -> str:
    """The distinctive first word of a company name matched in running text
    ("... dated 14 February 2025 between Harbourline Logistics plc" -> "harbourline")."""
    words = company.split()
    name: list[str] = []
    for word in reversed(words[:-1]):
        if not word[:1].isupper():
            break
        name.insert(0, word)
    return (name[0] if name else words[0]).strip(",.()").lower()


def file_name_words(file_name: str) -> str:
    """File-name words as written and camel-case split, so 'ResConnect' matches either way."""
    stem = re.sub(r"[_\-.%0-9]+", " ", re.sub(r"\.[A-Za-z0-9]{1,5}$", "", file_name))
    split = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem)
    return f"{stem} {split}"


def file_name_acronyms(file_name: str) -> list[str]:
    """Document-type acronyms in a file name ("msa", "nda" in "harbourline_msa_v2.pdf")."""
    return [w.lower() for w in re.split(r"[_\-. ]+", re.sub(r"\.[A-Za-z0-9]{1,5}$", "", file_name)) if w.lower() in DOCUMENT_ACRONYMS]


def capitalised_words(text: str) -> list[str]:
    """Proper-noun-like words (QuickFix, NimbusGrid, NDA), skipping each sentence's first word."""
    words = re.findall(r"(?<![.?!]\s)(?<!^)\b[A-Z][A-Za-z0-9&-]+", text.strip())
    return [w for w in words if not w.isupper() or len(w) <= 6]


def profile_text(file_name: str, title: str, text: str) -> str:
    """What a document is about, for matching the words a question names it by: file-name words, title, opening text."""
    return f"{file_name_words(file_name)} {title} {text[:PROFILE_CHARS]}"


def name_text(file_name: str, title: str, text: str) -> str:
    """What a document is called: file name words, title and the opening lines where parties are named."""
    return f"{file_name_words(file_name)} {title} {' '.join(capitalised_words(text[:NAME_CHARS]))}"


def naming_matches(text: str) -> list[re.Match]:
    """Document phrases that name where to look. A numbered part ("SOW 1", "Schedule 3") names a
    document only after a preposition ("under SOW 2"); "if only SOW 1 is terminated" is about it."""
    found = []
    for m in DOC_PHRASE.finditer(text):
        phrase = re.sub(r"^the\s+", "", m.group("doc").strip(), flags=re.I)
        if not any(w.lower() not in GENERIC_DOC_WORDS for w in phrase.split()):
            continue
        if NUMBERED_PART.fullmatch(phrase) and not m.group("pre"):
            continue
        found.append(m)
    return found


def naming_phrases(text: str) -> list[str]:
    """Phrases that name a document ("the QuickFix agreement", "the NDA", "Schedule 2"), not generic ones ("the agreement")."""
    return [re.sub(r"^the\s+", "", m.group("doc").strip(), flags=re.I) for m in naming_matches(text)]
