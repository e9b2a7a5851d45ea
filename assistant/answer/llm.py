"""Answers written by a chat model from numbered passages, then verified statement by statement.

The model gets the retrieved passages as delimited, untrusted data (``format_passages``) and must cite ``[n]``
for every statement. Each statement of its draft is kept only when ``verification.check_statement`` accepts
it, and is shown with markers renumbered to the verified citations. When nothing verifiable remains, or the
model cannot be reached, the extractive answer is given instead, with a note saying why.
"""

from __future__ import annotations

import html
import re
from typing import Iterator, Sequence

from ..core.documents import Passage
from ..text.normalise import plain
from ..text.sentences import LIST_ITEM, sentence_units, split_statements
from .chat_models import fill, load_prompt
from .citing import Citer
from .extractive import ExtractiveAnswerer
from .key_values import key_value
from .questions import question_kind
from .types import Answer, Citation
from .verification import Source, check_draft, is_refusal

PASSAGE_TAG = re.compile(r"</?\s*passage", re.IGNORECASE)


def format_passages(passages: Sequence[Passage]) -> str:
    """Numbered passages as delimited, attributed data blocks (any tag-like text inside is defused)."""
    blocks = []
    for n, passage in enumerate(passages, 1):
        chunk = passage.chunk
        body = PASSAGE_TAG.sub(lambda m: m.group(0).replace("passage", "passage\u200b"), chunk.text)
        document, section = html.escape(chunk.file_name), html.escape(chunk.section_path)
        blocks.append(f'<passage id="{n}" document="{document}" page="{chunk.pages_label}" section="{section}">\n{body}\n</passage>')
    return "\n\n".join(blocks)


class ModelUnavailable(Exception):
    """The chat model failed (unreachable server, bad key, timeout); the cause is chained."""


class LLMAnswerer:
    """``stream(question, standalone, passages, scope)``: verified statements as the model writes them, then the Answer."""

    def __init__(self, model, label: str, citer: Citer, extractive: ExtractiveAnswerer):
        self.model = model
        self.label = label
        self.citer = citer
        self.extractive = extractive
        self.system_prompt = load_prompt("answer_system")
        self.user_prompt = load_prompt("answer_user")

    def messages(self, question: str, standalone: str, passages: Sequence[Passage]) -> list:
        from langchain_core.messages import HumanMessage, SystemMessage

        follow_up = f"(This is a follow-up; the user wrote: {question})" if standalone != question else ""
        values = {"question": standalone, "passages": format_passages(passages), "conversation": follow_up}
        return [SystemMessage(content=fill(self.system_prompt, values)), HumanMessage(content=fill(self.user_prompt, values))]

    def stream(self, question: str, standalone: str, passages: list[Passage], scope: tuple[str, ...], stream: bool = True) -> Iterator[str | Answer]:
        rewritten = standalone if standalone != question else ""
        sources = [Source(n, p.chunk) for n, p in enumerate(passages, 1)]
        numbering: dict[tuple[str, int, int], Citation] = {}
        kept_text: list[str] = []
        draft = ""
        try:
            buffer = ""
            for piece in _from_model(self._draft(self.messages(question, standalone, passages), stream)):
                draft += piece
                buffer += piece
                complete, buffer = _complete_statements(buffer)
                for statement in complete:
                    if (delta := self._delta(statement, sources, numbering, kept_text)):
                        yield delta
            for statement in _complete_statements(buffer, final=True)[0]:
                if (delta := self._delta(statement, sources, numbering, kept_text)):
                    yield delta
        except ModelUnavailable as error:  # the model is optional: an unreachable server must not stop an answer
            cause = error.__cause__ or error
            note = f"The language model could not be used ({type(cause).__name__}: {str(cause)[:200]}), so this is the extractive answer."
            yield from self._fallback(question, standalone, passages, scope, note, already=bool(kept_text))
            return
        citations = tuple(sorted(numbering.values(), key=lambda c: c.number))
        if not citations:
            if is_refusal(draft):
                ranked = self.extractive.ranker.rank(standalone, passages, question_kind(standalone))
                refusal = self.extractive.refusal(question, rewritten, passages, ranked)
                yield from _pieces(refusal.text)
                yield Answer(refusal.question, refusal.text, refusal.citations, False, "", (), self.label, refusal.passages, 0.0, rewritten)
                return
            yield from self._fallback(question, standalone, passages, scope,
                                      "The language model's answer could not be verified against the documents, so this is the extractive answer.")
            return
        kind = question_kind(standalone)
        value = ""
        if kind:
            for citation in citations:
                value = key_value(kind, citation.span.text, standalone)
                if value:
                    break
        yield Answer(question, "".join(kept_text), citations, True, value, (), self.label, tuple(passages), 0.0, rewritten)

    def _delta(self, statement: str, sources: list[Source], numbering: dict, kept_text: list[str]) -> str:
        shown = self._accept(statement, sources, numbering)
        if not shown:
            return ""
        delta = ("" if not kept_text else ("\n" if LIST_ITEM.match(shown) else " ")) + shown
        kept_text.append(delta)
        return delta

    def _draft(self, messages: list, stream: bool) -> Iterator[str]:
        if stream:
            for chunk in self.model.stream(messages):
                content = chunk.content if isinstance(chunk.content, str) else "".join(p.get("text", "") for p in chunk.content if isinstance(p, dict))
                if content:
                    yield content
        else:
            message = self.model.invoke(messages)
            yield message.content if isinstance(message.content, str) else "".join(p.get("text", "") for p in message.content if isinstance(p, dict))

    def _accept(self, statement: str, sources: list[Source], numbering: dict) -> str:
        """The statement as shown (markers renumbered to verified citations), or "" when it fails verification."""
        checked = check_draft(statement, sources, sentence_units)
        shown_parts = []
        for item in checked:
            if not item.kept:
                continue
            numbers = []
            for quote in item.quotes:
                span = quote.span
                key = (span.doc_id, span.start, span.end)
                if key not in numbering:
                    chunk = sources[quote.source - 1].chunk
                    numbering[key] = self.citer.of(len(numbering) + 1, chunk, span.start - chunk.start, span.end - chunk.start)
                numbers.append(numbering[key].number)
            body = re.sub(r"\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]", "", plain(item.text)).rstrip()
            markers = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
            ending = re.search(r"[.!?]+[\"')\]]*$", body)
            if ending:
                body = body[: ending.start()] + f" {markers}" + body[ending.start() :]
            else:
                body = f"{body} {markers}"
            shown_parts.append(body)
        return " ".join(shown_parts)

    def _fallback(self, question: str, standalone: str, passages: list[Passage], scope: tuple[str, ...], note: str,
                  already: bool = False) -> Iterator[str | Answer]:
        answer = self.extractive.run(question, standalone, passages, scope)
        text = f"*{note}*\n\n{answer.text}"
        if not already:
            yield from _pieces(text)
        yield Answer(answer.question, text, answer.citations, answer.answered, answer.key_value, answer.table, answer.answerer,
                     answer.passages, 0.0, answer.rewritten_question, answer.table_header)


def _from_model(chunks: Iterator[str]) -> Iterator[str]:
    """The model's output, with any failure of the model itself raised as ModelUnavailable (and nothing else)."""
    while True:
        try:
            piece = next(chunks)
        except StopIteration:
            return
        except Exception as error:
            raise ModelUnavailable(str(error)) from error
        yield piece


def _pieces(text: str) -> Iterator[str]:
    for piece in re.split(r"(?<=\n\n)", text):
        if piece:
            yield piece


def _complete_statements(buffer: str, final: bool = False) -> tuple[list[str], str]:
    """Statements of a streamed draft that are complete, and the unfinished rest."""
    pieces = split_statements(buffer)
    if final:
        return pieces, ""
    if len(pieces) <= 1:
        return [], buffer
    last = pieces[-1]
    at = buffer.rfind(last[:20]) if last else len(buffer)
    return pieces[:-1], buffer[at:] if at >= 0 else last
