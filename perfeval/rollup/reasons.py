"""Deduction reasons across many sheets: the most frequent ones per indicator, near-duplicates as one
(`项目延期5个月` and `项目延期 3 个月。` say the same thing)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

TOP_REASONS = 3
_NOISE = re.compile(r"[\s\W_]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
SIMILAR = 0.8           # Dice similarity of character bigrams at which two reasons are one
_MAX_GROUPS = 300       # beyond this many groups per indicator, further reasons are grouped exactly


@lru_cache(maxsize=1 << 14)
def reason_key(text: str) -> str:
    """What two reasons that say the same thing share: no spacing or punctuation, every number as #."""
    text = unicodedata.normalize("NFKC", text)
    return _NOISE.sub("", _DIGITS.sub("#", text)).lower()


def _bigrams(key: str) -> frozenset[str]:
    return frozenset(key[i:i + 2] for i in range(max(len(key) - 1, 1)))


def group_reasons(reasons: list[str], top: int = TOP_REASONS) -> list[tuple[str, int]]:
    """The `top` most frequent reasons as (wording most used, count), near-duplicates counted as one."""
    texts: dict[str, Counter] = {}
    for reason in reasons:
        if reason and reason.strip():
            texts.setdefault(reason_key(reason), Counter())[reason.strip()] += 1
    groups: list[tuple[frozenset[str], Counter]] = []
    for key, wordings in sorted(texts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        grams = _bigrams(key)
        for gram_set, counter in groups if len(groups) < _MAX_GROUPS else ():
            if 2 * len(grams & gram_set) >= SIMILAR * (len(grams) + len(gram_set)):
                counter.update(wordings)
                break
        else:                                           # no near group (or too many groups): a new one
            groups.append((grams, Counter(wordings)))
    ranked = sorted(groups, key=lambda g: -sum(g[1].values()))
    return [(counter.most_common(1)[0][0], sum(counter.values())) for _, counter in ranked[:top]]
