"""The offline embedder: integrity checks, caching, and one model behind Chroma and LangChain."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from assistant.core.errors import ModelIntegrityError
from assistant.index import embeddings
from assistant.index.embeddings import (
    CachedEmbedder,
    ChromaEmbeddingFunction,
    EmbeddingCache,
    LangChainEmbeddings,
    OnnxEmbedder,
)


@pytest.fixture(scope="module")
def model():
    embedder = OnnxEmbedder()
    embedder.load()
    return embedder


def test_vectors_are_normalised_and_meaningful(model):
    vectors = model.embed([
        "Either party may terminate this agreement for convenience on thirty days' notice.",
        "The contract can be ended without cause after one month's notice.",
        "The Supplier shall maintain professional indemnity insurance of GBP 10 million.",
    ])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_batching_by_length_keeps_input_order(model):
    texts = ["short", "a much longer sentence about service credits and availability targets " * 5, "medium length text here"]
    together = model.embed(texts)
    alone = np.stack([model.embed([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_truncates_at_256_tokens_not_128(model):
    base = "word " * 150
    a = model.embed([base + "alpha beta gamma delta"])[0]
    b = model.embed([base + "zebra yacht xylophone quartz"])[0]
    assert not np.allclose(a, b, atol=1e-4), "tokens 150-160 must still count (the shipped tokenizer would cut at 128)"


def test_model_file_checksum_mismatch_is_a_clear_error(monkeypatch):
    spec = embeddings.MODELS["all-MiniLM-L6-v2-int8"]
    monkeypatch.setitem(embeddings.MODELS, "all-MiniLM-L6-v2-int8", dataclasses.replace(spec, model_sha256="0" * 64))
    with pytest.raises(ModelIntegrityError, match="embedding model .* has sha256 .* expected 0000"):
        OnnxEmbedder().load()


def test_tokenizer_checksum_mismatch_is_a_clear_error(monkeypatch, tmp_path):
    spec = embeddings.MODELS["all-MiniLM-L6-v2-int8"]
    fake = tmp_path / "tokenizer.json"
    fake.write_text("{}")
    monkeypatch.setitem(embeddings.MODELS, "all-MiniLM-L6-v2-int8", dataclasses.replace(spec, tokenizer_file=lambda: fake))
    with pytest.raises(ModelIntegrityError, match="embedding tokenizer"):
        OnnxEmbedder().load()


def test_unknown_model_names_valid_choices():
    with pytest.raises(ValueError, match="valid: all-MiniLM-L6-v2-int8"):
        OnnxEmbedder("bert-large")


def test_cache_embeds_each_text_once(tmp_path, model):
    cached = CachedEmbedder(model, EmbeddingCache(tmp_path / "cache.sqlite"))
    first = cached.embed(["clause one", "clause two", "clause one"])
    assert cached.computed == 2
    again = CachedEmbedder(model, EmbeddingCache(tmp_path / "cache.sqlite")).embed(["clause two", "clause one"])
    assert np.allclose(again, first[[1, 0]])
    assert cached.computed == 2


def test_chroma_and_langchain_adapters_agree(model):
    cached = CachedEmbedder(model, None)
    chroma_vectors = ChromaEmbeddingFunction(cached)(["audit rights"])
    langchain_vector = LangChainEmbeddings(cached).embed_query("audit rights")
    assert np.allclose(np.asarray(chroma_vectors[0]), np.asarray(langchain_vector), atol=1e-6)
    assert ChromaEmbeddingFunction.build_from_config(ChromaEmbeddingFunction(cached).get_config()).get_config() == {"model": "all-MiniLM-L6-v2-int8", "max_tokens": 256}


def test_a_vector_does_not_depend_on_its_batch(model):
    """Cached vectors (of the focus's and the ranker's sentences) stand for the model's in any later batch: exactly."""
    texts = ["The Customer may terminate on six months' notice.", "Fees are payable within thirty (30) days of invoice.",
             "This Agreement is governed by the laws of England and Wales, and the courts of London have jurisdiction.",
             "Neither party may assign this Agreement."]
    together = model.embed(texts, batch_size=16)
    assert np.array_equal(together, np.stack([model.embed([t])[0] for t in texts]))
    assert np.array_equal(together[[2, 0]], model.embed([texts[2], texts[0]], batch_size=1))
