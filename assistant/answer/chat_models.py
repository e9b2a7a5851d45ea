"""Optional language models, through LangChain chat models: an OpenAI-compatible server, Ollama or a
local GGUF file. Nothing here runs unless ``settings.llm_provider`` is not ``none``; nothing is downloaded.

    model = make_chat_model(settings)          # a langchain_core BaseChatModel
    label = answerer_label(settings)           # "llm:openai/<model>", recorded with every answer
"""

from __future__ import annotations

import os
import re
from importlib.resources import files
from pathlib import Path
from typing import Any, Iterator, Mapping

from ..core.errors import AssistantError
from ..core.settings import Settings

PROVIDERS = ("none", "openai", "ollama", "llamacpp")
PROMPTS = Path(str(files("assistant.prompts")))
PLACEHOLDER = re.compile(r"\{(question|passages|conversation)\}")
GGUF_HINT = "pip install -e '.[gguf]'"
REQUEST_TIMEOUT = 120.0


class LLMConfigError(AssistantError):
    """The LLM settings are incomplete or name something unavailable; the message says what to set."""


def answerer_label(settings: Settings) -> str:
    """How answers from this configuration are labelled (in the UI and the audit trail)."""
    provider = settings.llm_provider
    if provider == "none":
        return "extractive"
    if provider == "llamacpp":
        return f"llm:llamacpp/{settings.llm_model_path.name if settings.llm_model_path else '?'}"
    return f"llm:{provider}/{settings.llm_model or '?'}"


def make_chat_model(settings: Settings):
    """The chat model named by the settings. Raises ``LLMConfigError`` naming the valid choices or the missing setting."""
    provider = settings.llm_provider
    if provider == "openai":
        return _openai(settings)
    if provider == "ollama":
        return _ollama(settings)
    if provider == "llamacpp":
        return _llamacpp(settings)
    if provider == "none":
        raise LLMConfigError("llm_provider is 'none': the extractive answerer needs no model; set llm_provider to openai, ollama or llamacpp to use one")
    raise LLMConfigError(f"unknown llm_provider {provider!r}; valid: {', '.join(PROVIDERS)}")


def _openai(settings: Settings):
    from langchain_openai import ChatOpenAI

    if not settings.llm_model:
        raise LLMConfigError("llm_provider 'openai' needs llm_model (e.g. CONTRACT_ASSISTANT_LLM_MODEL=gpt-4o-mini)")
    key = os.environ.get(settings.llm_api_key_env, "")
    if not key and not settings.llm_base_url:
        raise LLMConfigError(
            f"llm_provider 'openai' needs an API key in the environment variable {settings.llm_api_key_env!r} "
            "(setting llm_api_key_env), or llm_base_url pointing at an OpenAI-compatible server"
        )
    # Local OpenAI-compatible servers (vLLM, llama.cpp server, LM Studio) accept any key; the client needs one.
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=key or "EMPTY",
        temperature=settings.llm_temperature,
        timeout=REQUEST_TIMEOUT,
        max_retries=1,
    )


def _ollama(settings: Settings):
    from langchain_ollama import ChatOllama

    if not settings.llm_model:
        raise LLMConfigError("llm_provider 'ollama' needs llm_model (a model already pulled into Ollama, e.g. llama3.1:8b)")
    options: dict[str, Any] = {"model": settings.llm_model, "temperature": settings.llm_temperature}
    if settings.llm_base_url:
        options["base_url"] = settings.llm_base_url
    return ChatOllama(**options)


def _llamacpp(settings: Settings):
    path = settings.llm_model_path
    if path is None:
        raise LLMConfigError("llm_provider 'llamacpp' needs llm_model_path, the path of a local .gguf file")
    if not Path(path).is_file():
        raise LLMConfigError(f"llm_model_path {str(path)!r} does not exist (llm_provider 'llamacpp' needs a local .gguf file)")
    try:
        from langchain_community.chat_models import ChatLlamaCpp  # type: ignore[import-not-found]
    except ImportError:
        ChatLlamaCpp = None
    if ChatLlamaCpp is not None:
        return ChatLlamaCpp(model_path=str(path), temperature=settings.llm_temperature, n_ctx=8192, verbose=False)
    try:
        import llama_cpp  # type: ignore[import-not-found]
    except ImportError as error:
        raise LLMConfigError(f"llm_provider 'llamacpp' needs the optional llama-cpp-python package: {GGUF_HINT}") from error
    return _llama_cpp_chat_model(llama_cpp.Llama(model_path=str(path), n_ctx=8192, verbose=False), settings.llm_temperature, path.name)


def to_llama_messages(messages) -> list[dict[str, str]]:
    """LangChain messages as llama.cpp chat messages (role + text)."""
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    out = []
    for message in messages:
        role = roles.get(getattr(message, "type", ""), "user")
        content = message.content if isinstance(message.content, str) else "".join(
            part.get("text", "") if isinstance(part, Mapping) else str(part) for part in message.content
        )
        out.append({"role": role, "content": content})
    return out


def _llama_cpp_chat_model(llama, temperature: float, name: str):
    """A LangChain chat model over a ``llama_cpp.Llama`` (used when langchain-community is not installed)."""
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

    class LlamaCppChat(BaseChatModel):
        model_name: str = name

        @property
        def _llm_type(self) -> str:
            return "llamacpp"

        def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
            result = llama.create_chat_completion(messages=to_llama_messages(messages), temperature=temperature, stop=stop)
            text = result["choices"][0]["message"].get("content") or ""
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

        def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
            for part in llama.create_chat_completion(messages=to_llama_messages(messages), temperature=temperature, stop=stop, stream=True):
                delta = part["choices"][0].get("delta", {}).get("content") or ""
                if delta:
                    yield ChatGenerationChunk(message=AIMessageChunk(content=delta))

    return LlamaCppChat()


# ------------------------------------------------------------------------------------------ prompts


def load_prompt(name: str, folder: Path = PROMPTS) -> str:
    """A prompt template ``<name>.md`` from the package's prompts (``assistant/prompts``)."""
    path = folder / f"{name}.md"
    if not path.is_file():
        available = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
        raise LLMConfigError(f"prompt template {path} not found; available: {', '.join(available) or '(none)'}")
    return path.read_text(encoding="utf-8")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace ``{question}``, ``{passages}`` and ``{conversation}`` in one pass, so text inside a value is never expanded."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template)
