"""Which clauses open an accountable action: a small logistic-regression model over clause features.

The rules in parser.py were written document by document; on documents nobody tuned them to they
miss actions that several readers of a 任务分解表 would register (one row where a clerk writes five)
and, for a whole document at times, find none. This model is a second opinion learnt from the
labelled development set (eval/parser, split=dev): for every comma/semicolon clause of a text
paragraph, the probability that a labelled row's key starts in it. parser.py uses it to split rule
candidates that hold several actions, to add actions the rules did not see, and as the whole answer
when the rules find nothing. Features are strings (see ``parser._Doc.clause_features``); the model is
a weight per feature, stored as JSON beside this module and rewritten by ``luoshi parse-train``.

Training is plain-Python stochastic gradient descent with a fixed seed and a fixed order, so the same
labelled set gives byte-identical weights.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("action_model.json")
FORMAT = 1


@dataclass
class ActionModel:
    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    # probability thresholds chosen by cross-validation on dev (see train.py)
    thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def probability(self, features: list[str]) -> float:
        w = self.weights
        z = self.bias
        for f in features:
            z += w.get(f, 0.0)
        return _sigmoid(z)

    def threshold(self, name: str) -> float:
        # a threshold above 1 switches an operation off
        return self.thresholds.get(name, 2.0)

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "meta": self.meta,
            "thresholds": {k: round(v, 4) for k, v in sorted(self.thresholds.items())},
            "bias": round(self.bias, 6),
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())},
        }
        return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ActionModel:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError("unknown action model format")
        return cls(
            weights={str(k): float(v) for k, v in data.get("weights", {}).items()},
            bias=float(data.get("bias", 0.0)),
            thresholds={str(k): float(v) for k, v in data.get("thresholds", {}).items()},
            meta=dict(data.get("meta") or {}),
        )


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


_LOADED: dict[Path, ActionModel | None] = {}


def load(path: Path = MODEL_PATH) -> ActionModel | None:
    """The committed model (read once per process); None when the file is absent or unreadable, so the
    parser falls back to its rules alone rather than failing."""
    if path not in _LOADED:
        try:
            _LOADED[path] = ActionModel.from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError, AttributeError):
            _LOADED[path] = None
    return _LOADED[path]


def train(
    examples: list[tuple[list[str], int]],
    *,
    epochs: int = 12,
    rate: float = 0.1,
    l2: float = 1e-4,
    min_count: int = 2,
    seed: int = 13,
) -> ActionModel:
    """Logistic regression by SGD. Features seen fewer than ``min_count`` times are dropped (a word
    met once says more about that document than about directives). Deterministic for a given input."""
    counts: dict[str, int] = {}
    for feats, _y in examples:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    keep = {f for f, n in counts.items() if n >= min_count}
    data = [([f for f in dict.fromkeys(feats) if f in keep], y) for feats, y in examples]
    w: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(data)))
    rng = random.Random(seed)
    # lazy L2: each weight decays by the steps it was not touched
    last: dict[str, int] = {}
    avg: dict[str, float] = {}
    avg_bias = 0.0
    step = 0
    for epoch in range(epochs):
        rng.shuffle(order)
        lr = rate / (1.0 + epoch)
        for i in order:
            feats, y = data[i]
            step += 1
            z = bias
            for f in feats:
                if f in w:
                    gap = step - last[f]
                    if gap > 1:
                        w[f] *= (1.0 - lr * l2) ** (gap - 1)
                    last[f] = step
                    z += w[f]
            g = _sigmoid(z) - y
            bias -= lr * g
            for f in feats:
                if f not in w:
                    w[f] = 0.0
                    last[f] = step
                w[f] -= lr * (g + l2 * w[f])
        # the weights are averaged over the epochs' ends: steadier than the last epoch's alone on
        # a labelled set this small
        for f in w:
            gap = step - last[f]
            if gap > 0:
                w[f] *= (1.0 - lr * l2) ** gap
                last[f] = step
            avg[f] = avg.get(f, 0.0) + w[f]
        avg_bias += bias
    weights = {f: v / epochs for f, v in sorted(avg.items()) if abs(v / epochs) >= 1e-3}
    return ActionModel(weights=weights, bias=avg_bias / epochs)


def data_hash(parts: list[tuple[str, bytes]]) -> str:
    """Hash of the training material (label and document bytes, in name order): the committed model
    records it, and a test compares it with the labelled set as it stands."""
    h = hashlib.sha256()
    for name, blob in sorted(parts):
        h.update(name.encode("utf-8"))
        h.update(b"\0")
        h.update(hashlib.sha256(blob).digest())
    return h.hexdigest()
