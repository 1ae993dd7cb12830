"""Train the event-class model that ranks the coder's candidate triggers.

Data: ``../shared/data/gold/conflibert-cameo-train/cameo_class/train.tsv``
(ConfliBERT's CAMEO training sentences, 5 classes).  A deterministic split
(:func:`tidings.coding._classifier.in_heldout_split`, 20% of sentences by a
hash of their text) is held out; the model is trained on the other 80% only,
so ``tidings evaluate conflibert-class`` can report held-out accuracy.
Training is deterministic (fixed seed, fixed order): re-running the script
rebuilds the same weights.

    python scripts/train_event_classifier.py [--tsv FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TSV = (
    REPO.parent
    / "shared"
    / "data"
    / "gold"
    / "conflibert-cameo-train"
    / "cameo_class"
    / "train.tsv"
)


def read_tsv(path: Path) -> list[tuple[str, int]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[1].strip().isdigit():
            rows.append((parts[0], int(parts[1])))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if not args.tsv.exists():
        print(f"training data not found: {args.tsv}", file=sys.stderr)
        return 1

    from tidings.coding._classifier import (
        DEFAULT_MODEL_PATH,
        MODEL_NAME,
        in_heldout_split,
        train,
    )
    from tidings.pipeline import Pipeline

    rows = read_tsv(args.tsv)
    pipe = Pipeline()
    coder = pipe.coder
    samples, heldout = [], []
    for (text, label), doc in zip(rows, pipe.nlp.pipe(t for t, _ in rows), strict=True):
        sent = doc[:]  # the whole line: the gold class is per line
        feats = coder.sentence_features(sent, coder.candidates(sent))
        (heldout if in_heldout_split(text) else samples).append((feats, label))
    model = train(samples)
    correct = sum(int(model.predict_proba(f).argmax() == y) for f, y in heldout)
    model.meta.update(
        {
            "name": MODEL_NAME,
            "trained_on": "conflibert-cameo-train/cameo_class/train.tsv (80% split)",
            "data_sha256": hashlib.sha256(args.tsv.read_bytes()).hexdigest(),
            "train_sentences": len(samples),
            "heldout_sentences": len(heldout),
            "heldout_class_accuracy": round(correct / max(len(heldout), 1), 4),
        }
    )
    out = args.out or DEFAULT_MODEL_PATH
    model.save(out)
    print(
        f"trained on {len(samples)} sentences; held-out class accuracy of the model alone "
        f"{correct}/{len(heldout)} = {correct / max(len(heldout), 1):.3f}; wrote {out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
