"""How contracts and parties are named in text: company names with their legal form, the roles a contract
gives them ('Veridian Systems Limited (the "Supplier")'), file-name words, and the phrases a question uses
to name a document ("the QuickFix agreement", "the NDA", "under SOW 2").

Pure functions over text; ``retrieval.names.DocumentNames`` applies them to a workspace's documents.
"""

from __future__ import annotations

import re

# The legal forms a company name ends with (its other words in any script: "Eurofarma Laboratórios S.A."); a name ending with one, or with a word that also ends a party's name (Trust,
# Bank, Partners), is a company's.
LEGAL_FORM = (r"plc|PLC|Ltd\.?|LTD\.?|Limited|LIMITED|LLC|L\.L\.C\.|Inc\.?|INC\.?|inc\.?|Incorporated|INCORPORATED|Corp\.?|CORP\.?"
              r"|Corporation|CORPORATION|Co\.|Company|COMPANY|GmbH|S\.A\.|S\.p\.A\.|B\.V\.|N\.V\.|N\.A\.|LLP|LP|L\.P\.|AG|SE|Pte\.? Ltd\.?|PTE, LTD\.|Aktiengesellschaft|AKTIENGESELLSCHAFT")
PARTY_NAME = re.compile(rf"\b([A-Z][\w&.,'\- ]{{1,80}}?\s(?:{LEGAL_FORM}|Trust|TRUST|Bank|BANK|Partners|PARTNERS|Association|ASSOCIATION))(?![A-Za-z])")
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


# 'NAME, a Delaware corporation ... ("Alias")', 'NAME (the "Company")', 'NAME (hereinafter referred to as "Licensee")'
ROLE_ALIAS = re.compile(r"\(\s*(?:(?:the|hereinafter|each|individually|collectively|referred|to|as|a|an|herein|called)\s+){0,5}[\"“']{1,2}([^\"”']{1,40})[\"”']")
# Roles contracts define with a common noun: a capitalised run starting with one ("Company Number 11036101") refers to
# the defined term, it does not name the party.
ROLE_NOUNS = {"company", "customer", "supplier", "provider", "vendor", "client", "contractor", "consultant", "employee", "employer",
              "executive", "agent", "agency", "licensee", "licensor", "distributor", "reseller", "manufacturer", "purchaser", "buyer",
              "seller", "member", "partner", "lender", "borrower", "owner", "developer", "sponsor", "affiliate", "talent", "publisher",
              "producer", "carrier", "shipper", "transporter", "bank", "fund", "trust", "adviser", "advisor", "manager", "operator"}
PARTY_PRONOUNS = {"we", "us", "our", "ours", "you", "your", "yours"}  # a question's own side: "can we terminate?"
NOT_A_PARTY = re.compile(r"^(?:agreement|effective\s+date|parties|party|contract|this\s+agreement|recitals?|term|territory|products?|services?|"
                         r"event|exhibit\s+\w+|schedule\s+\w+|affiliates?|confidential\s+information|closing|commission|act|sec|company\s+group|we|us|you"
                         r"|(?:[\w.]+\s+){1,4}act(?:\s+of\s+\d{4})?)$", re.I)  # a statute: "Exchange Act", "Securities Act of 1933"
NAME_RUN = re.compile(r"((?:[A-Z][\w.&'’-]*,?\s+(?:(?:of|and|&|de|la|du)\s+)?){0,6}[A-Z][\w.&'’-]*\.?)[\s,]*$")
CAPITALISED_RUN = re.compile(r"\b[A-Z][\w.&'’-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w.&'’-]*){0,5}")
# a party named after "and" / "between" and described next: "and CyberShop, a Delaware corporation, located at"
DESCRIBED = re.compile(r"(?:\b(?:and|between|by)\s*:?\s+)([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,5}),\s+(?:a|an)\s+")
LEGAL_FORM_WORDS = frozenset(re.findall(r"[a-z]+", LEGAL_FORM.lower()))  # its lower-case words: inc, llc, s, a ("S.A.") ...
# words running text leaves before a name: "... and MICROSOFT CORPORATION", "BETWEEN VIVINT SOLAR, INC.", "that FEDERATED ..."
LEADING_CONNECTOR = re.compile(r"^(?:(?i:by|and|between|among|that|with|this)\s+|the\s+)+")
# A party the opening describes as named elsewhere: "the individual or legal entity identified on the cover page", "each of
# the persons set forth on the signature page hereto", "the sales agent identified on the signature page to this Agreement".
NAMED_ELSEWHERE = re.compile(r"\b((?:the|each\s+of\s+the|any)\s+(?:[a-z]+\s+){1,5}(?:identified|set\s+forth|named|listed|specified)\s+(?:on|in)\s+"
                             r"(?:the\s+)?(?i:cover|signature)\s+pages?(?:\s+(?:to|of)\s+this\s+(?i:agreement)|\s+hereto)?)[\s,]*$")
THE_DEFINED = re.compile(r"\s(?i:the)\s+(?i:company|corporation)$")  # "the Company": a defined term, not a company's name
PARTY_CHARS = 400  # how far before its alias a party's name may be (an address can stand between)
PREAMBLE_END = re.compile(r"\b(?:WHEREAS|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H|RECITALS?|Recitals|BACKGROUND|NOW,?\s+THEREFORE|Now,?\s+therefore)\b|\n\s*(?:1\.|ARTICLE\s+(?:1|I)\b|Section\s+1\b)")


def _starts_with_role(name: str) -> bool:
    """Whether a capitalised run starts with a role noun ("Company Number 11036101", "By Client"): the defined term,
    not a name."""
    words = LEADING_CONNECTOR.sub("", name).split()
    return not words or words[0].lower() in ROLE_NOUNS


def preamble(text: str) -> str:
    """The opening of a contract up to its recitals or first clause, where its parties are named: the first such end
    with a party named before it ("between", or a role alias), so a first heading that opens the preamble itself
    ("ARTICLE 1 -- PREAMBLE This Agreement is entered into ... by and between") does not end it."""
    ends = [e.start() for e in PREAMBLE_END.finditer(text, 40)] + [len(text)]
    return text[: next((e for e in ends if BETWEEN.search(text, 0, e) or ROLE_ALIAS.search(text, 0, e)), ends[0])]


def _last_name(name: str) -> str:
    """A lazily matched company name cut to its own words: 'Suite 110, San Mateo, California 94403, and MICROSOFT
    CORPORATION' -> 'MICROSOFT CORPORATION'."""
    pieces = re.split(r"\s+(?:and|AND)\s+|\s+(?:between|among|BETWEEN|AMONG)\s+|\s+(?:by|that)\s+|[,;]\s+(?=[^,;]*\d)|\d[\d-]*(?:st|nd|rd|th)?[,\s]+|\d[\w-]*,\s*", name)
    return " ".join(pieces[-1].split()).strip(" ,") if pieces and pieces[-1].strip(" ,") else name


def parties_in(text: str) -> list[tuple[str, str, int]]:
    """The parties a contract's opening names, each as (full name, role or alias, offset): the name before each
    role alias ('INKTOMI CORPORATION ("Inktomi")', 'Siemens Aktiengesellschaft, a corporation formed under the laws
    of Germany, ... ("Siemens")'): the last company name (with its legal form) within a few lines before the alias
    that shares a word with it, else the capitalised words just before it; then companies named with their legal
    form and no alias. In the order the text names them, each once."""
    found: list[tuple[str, str, int]] = []
    for alias in ROLE_ALIAS.finditer(text):
        role = " ".join(alias.group(1).split())
        if NOT_A_PARTY.match(role):
            continue
        window_start = max(0, alias.start() - PARTY_CHARS)
        before = text[window_start : alias.start()]
        companies = list(PARTY_NAME.finditer(before))
        role_words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", role)}
        sharing = [m for m in companies if role_words & {w.lower() for w in re.findall(r"[A-Za-z]{3,}", m.group(1))}]
        runs = [m for m in CAPITALISED_RUN.finditer(before) if role_words & {w.lower() for w in re.findall(r"[A-Za-z]{3,}", m.group(0))}
                and not NOT_A_PARTY.match(m.group(0)) and not re.search(r"\b(?i:agreement|contract)\b", m.group(0))
                and not (role_words <= ROLE_NOUNS and _starts_with_role(m.group(0)))]
        # the name written just before the alias after "and" / "between" ('... and Cardlytics, ("Supplier")'), or before
        # an address left blank ('NIGEL CROCKETT of (the "Employee")')
        tail = re.sub(r"\s+of\s*$", " ", before[-120:])
        named_here = NAME_RUN.search(tail)
        joined = (named_here and len(tail) - named_here.end() <= 4 and not NOT_A_PARTY.match(named_here.group(1).strip(" ,."))
                  and (re.search(r"\b(?:and|between|by)\s+$", tail[: named_here.start(1)]) or re.search(r"\bof\s*$", before[-120:]))
                  and not _starts_with_role(named_here.group(1)))
        elsewhere = NAMED_ELSEWHERE.search(before)
        if elsewhere:  # 'and the individual or legal entity identified on the cover page ("Franchisee")'
            name, at = elsewhere.group(1), window_start + elsewhere.start(1)
        elif sharing:
            name, at = _last_name(sharing[-1].group(1)), window_start + sharing[-1].start(1)
        elif joined:
            name, at = named_here.group(1), alias.start() - len(before[-120:]) + named_here.start(1)
        elif companies and alias.start() - (window_start + companies[-1].end()) < 120:
            name, at = _last_name(companies[-1].group(1)), window_start + companies[-1].start(1)
        elif runs:  # 'Detto Technologies, a Washington corporation, having its principal place ... ("Detto")'
            name, at = runs[-1].group(0), window_start + runs[-1].start()
        elif described := [m for m in DESCRIBED.finditer(before) if not NOT_A_PARTY.match(m.group(1))
                           and not _starts_with_role(m.group(1))]:  # '... and CyberShop, a Delaware corporation, located at ... ("Client")'
            name, at = described[-1].group(1), window_start + described[-1].start(1)
        elif companies:  # 'BICYCLETX LIMITED a company ... whose registered office is at ..., United Kingdom (the "Company")'
            name, at = _last_name(companies[-1].group(1)), window_start + companies[-1].start(1)
        else:
            run = NAME_RUN.search(before[-120:])
            if not run or len(before[-120:]) - run.end() > 4:
                continue
            name, at = run.group(1), alias.start() - len(before[-120:]) + run.start(1)
        name = LEADING_CONNECTOR.sub("", " ".join(name.split()).strip(" ,"))
        if name and not NOT_A_PARTY.match(name):
            found.append((name, role, at))
    named = [n for n, _, _ in found]
    for m in PARTY_NAME.finditer(text):
        if re.search(r"\b(?:an?|any|other)\s*$", text[max(0, m.start() - 4) : m.start()], re.I) or THE_DEFINED.search(m.group(1)):
            continue  # "a Washington Corporation" describes a party, "... HARM TO THE COMPANY" refers to one: neither names it
        name = LEADING_CONNECTOR.sub("", _last_name(" ".join(m.group(1).split()).strip(" ,")))
        if name and not any(same_party(name, n) for n in named):
            named.append(name)
            found.append((name, "", m.start(1)))
    found.sort(key=lambda f: f[2])
    out: list[tuple[str, str, int]] = []
    for name, role, at in found:
        if not any(same_party(name, kept) for kept, _, _ in out):
            out.append((name, role, at))
    return out


# Where a signature block has a party sign: "By:", "/s/", "(Signature)"; the name written just before is the party's.
SIGN_MARK = re.compile(r"\b(?i:by)\s*:|/s/|\((?i:signature)\)")
# The name a signature block gives a party: capital words ("HARVEST SMALL CAP PARTNERS, L.P.", "ABP TRUST"), a legal form
# in any case after them ("SEATTLE SOFTWARE DEVELOPERS, Inc."), ending where the signing starts.
SIGNATORY = re.compile(rf"([A-Z][A-Z0-9&.,'’\-]*(?:\s+[A-Z0-9][A-Z0-9&.,'’\-]*)*(?:,?\s+(?:{LEGAL_FORM}))?)[\s,]*$")
NOT_A_SIGNATORY = re.compile(r"^(?:WITNESS(?:ES)?|WITNESS\s+WHEREOF|SIGNATURE|AGREED|ACCEPTED|AGREED\s+AND\s+ACCEPTED|DATE|NAME|TITLE|BY)\b")


def signatories(text: str) -> list[tuple[str, int]]:
    """The parties a signature block names, each as (name, offset): the capitalised name just before where each signs
    ("PRAIRIE ECI ACQUIROR LP By: BIP Holdings Manager L.L.C., its general partner", "ABP TRUST /s/ Adam D. Portnoy"),
    read back to the line, field ("Acceptance by Client:") or signature before it; not who signs for it (the words
    after "By:" on its line), in the order written, each once. Where a contract names its parties only there ("The
    undersigned hereby agree", "the persons set forth on the signature page")."""
    found: list[tuple[str, int]] = []
    previous, by = 0, False
    for mark in SIGN_MARK.finditer(text):
        before = text[previous : mark.start()].rstrip()
        start = previous + max(before.rfind("\n"), before.rfind(":")) + 1
        after_by = by and "\n" not in before  # "By: Harvest Capital Strategies LLC Investment Manager" signs for the party
        previous, by = mark.end(), mark.group(0).lower().startswith("by")
        segment = re.sub(r"[()\[\]]", " ", text[start : previous - len(mark.group(0))])
        name = SIGNATORY.search(segment)
        if after_by or not name or not re.search(r"[A-Z]{2}", name.group(1)):
            continue
        words = " ".join(name.group(1).split()).strip(" ,")
        if (NOT_A_SIGNATORY.match(words) or NOT_A_PARTY.match(words) or not set(_name_words(words)) - {"s", "a"}
                or any(same_party(words, n) for n, _ in found)):
            continue
        found.append((words, start + name.start(1)))
    return found


def _name_words(name: str) -> list[str]:
    """The words of a company name that tell it from another, lower case: without its legal form, "the" and words
    running text left before it ("that FEDERATED INVESTMENT MANAGEMENT COMPANY" -> federated investment management)."""
    words = name.split()
    while len(words) > 1 and not words[0][:1].isupper() and not words[0][:1].isdigit():
        words.pop(0)
    return [w for w in re.findall(r"[a-z0-9&]+", " ".join(words).lower()) if w not in LEGAL_FORM_WORDS and w != "the"]


def same_party(a: str, b: str) -> bool:
    """Whether two names a contract's opening gives are one party: the same name up to its legal form and case
    ("INKTOMI CORPORATION", "Inktomi Corp."), or a short name with no legal form that starts the other ("Bluefly" for
    "Bluefly, Inc."). Two companies sharing their first words are two parties ("Bluefly, Inc." and "Bluefly Services
    LLC", "Palmer Square Capital Management LLC" and "Palmer Square Capital BDC Inc")."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return a.strip().lower() == b.strip().lower()
    if wa == wb:
        return True
    (short, short_name), (long, _) = sorted(((wa, a), (wb, b)), key=lambda t: len(t[0]))
    return long[: len(short)] == short and not _has_legal_form(short_name)


def _has_legal_form(name: str) -> bool:
    return bool(re.search(rf"(?:^|[\s,])(?:{LEGAL_FORM})\.?\s*$", name.strip(" ,")))


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


def party_role_words(question: str) -> set[str]:
    """The words of a question that say which party by its role rather than its name ("can the customer ...", "can
    we ..."); "party" itself is not one: contracts say it ("either party may ..."), nor is a role word that begins a
    defined term ("Customer Data", "Supplier Personnel")."""
    return {m.group(1).lower() for m in re.finditer(r"\b([A-Za-z]+)\b(?!\s+[A-Z])", question)
            if m.group(1).lower() in ROLE_NOUNS or m.group(1).lower() in PARTY_PRONOUNS}
