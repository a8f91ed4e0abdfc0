"""The one wrapper around jieba in the project.

jieba is imported on first use only (importing it costs ~0.1 s and building its prefix dictionary
~0.5 s), into a private ``jieba.Tokenizer`` so that user words added here never leak into other
users of the global jieba instance, and with its chatty logger silenced.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

_lock = threading.Lock()
_tokenizer = None
_pending: list[str] = []
_added: set[str] = set()


def _get():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba  # lazy: only code paths that segment pay for it

                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for word in _pending:
                    tok.add_word(word, freq=None)
                _pending.clear()
                _tokenizer = tok
    return _tokenizer


def add_words(words: Iterable[str]) -> None:
    """Extend the user dictionary (unit names, aliases) so they are never cut in two."""
    new = [w.strip() for w in words if isinstance(w, str) and w.strip() and not any(c.isspace() for c in w.strip())]
    with _lock:
        new = [w for w in new if w not in _added]
        _added.update(new)
        if _tokenizer is None:
            _pending.extend(new)
            return
    for word in new:
        _tokenizer.add_word(word, freq=None)


def segment(text: str) -> list[str]:
    """Words of ``text`` (jieba precise mode, HMM on). ``"".join(segment(t)) == t``."""
    if not text:
        return []
    return list(_get().cut(text, HMM=True))


_pos = None


def tagged(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech tag) pairs of ``text`` by jieba's own dictionary, on the same private
    tokenizer as ``segment`` (its user words included)."""
    global _pos
    if not text:
        return []
    if _pos is None:
        import jieba.posseg as posseg

        tok = _get()  # (takes the lock itself, so before it is held here)
        with _lock:
            if _pos is None:
                _pos = posseg.POSTokenizer(tok)
    return [(w.word, w.flag) for w in _pos.cut(text, HMM=True)]
