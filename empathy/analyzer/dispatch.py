"""Token dispatch: run each pattern only where its first word occurs.

Scanning a reply with dozens of alternation-heavy regexes costs a full pass
per regex. Instead we work out, once at import, which first words each
pattern can start with (by walking the parsed regex), tokenise the reply once,
and call ``regex.match`` only at tokens that can start a match. Patterns whose
first word cannot be determined (they start with ``\\w+`` or similar) fall back
to a normal ``finditer`` scan, so results are identical to scanning everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

try:  # CPython's regex parser; private but stable across 3.11-3.13.
    from re import _constants as _C  # type: ignore[attr-defined]
    from re import _parser as _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another implementation: scan everywhere
    _parser = None
    _C = None

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")
# Text tokens: a word starting with a letter/digit, apostrophes allowed inside.
TOKEN_START = re.compile(r"[a-z0-9][a-z0-9']*")
_MAX_STARTS = 3000
_MAX_PLANS = 50_000


class _Wild(Exception):
    """The pattern's first word cannot be enumerated."""


def _matches_word_char(node_op: Any, av: Any) -> bool:
    """Whether a single-character node (IN, ANY, CATEGORY, NOT_LITERAL) can match [a-z0-9']."""
    if node_op is _C.LITERAL:
        return chr(av) in _WORD_CHARS
    if node_op is _C.IN:
        for op, val in av:
            if op is _C.NEGATE:
                return True
            if op is _C.LITERAL and chr(val) in _WORD_CHARS:
                return True
            if op is _C.RANGE:
                return True
            if op is _C.CATEGORY and val not in (_C.CATEGORY_SPACE, _C.CATEGORY_UNI_SPACE):
                return True
        return False
    return True


def _small_class(op: Any, av: Any) -> str | None:
    """The characters of a small all-word-character class like ``[123]``, else None."""
    if op is not _C.IN:
        return None
    chars = []
    for item_op, val in av:
        if item_op is _C.LITERAL:
            chars.append(chr(val))
        elif item_op is _C.RANGE and val[1] - val[0] < 10:
            chars.extend(chr(c) for c in range(val[0], val[1] + 1))
        else:
            return None
    if len(chars) > 10 or not all(c in _WORD_CHARS for c in chars):
        return None
    return "".join(chars)


def _walk(nodes: Sequence[Any], prefix: str) -> set[tuple[str, bool]]:
    """Possible (first word, is_prefix) pairs for the node sequence after ``prefix``."""
    for i, (op, av) in enumerate(nodes):
        rest = list(nodes[i + 1 :])
        if op is _C.LITERAL:
            ch = chr(av)
            if ch in _WORD_CHARS:
                prefix += ch
                continue
            if prefix:
                return {(prefix, False)}
            raise _Wild
        if op is _C.AT:
            if prefix and av in (_C.AT_BOUNDARY, _C.AT_END, _C.AT_END_STRING):
                return {(prefix, False)}
            continue
        if op in (_C.ASSERT, _C.ASSERT_NOT):
            continue  # look-arounds consume nothing
        if op is _C.SUBPATTERN:
            return _walk(list(av[-1]) + rest, prefix)
        if op is _C.BRANCH:
            out: set[tuple[str, bool]] = set()
            for alt in av[1]:
                out |= _walk(list(alt) + rest, prefix)
                if len(out) > _MAX_STARTS:
                    raise _Wild
            return out
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            lo, hi, item = av
            item = list(item)
            single = len(item) == 1 and item[0][0] in (_C.IN, _C.ANY, _C.NOT_LITERAL, _C.LITERAL)
            if single and not _matches_word_char(*item[0]):
                if prefix:  # whitespace or punctuation run ends the first word
                    return {(prefix, False)}
                if lo == 0:
                    continue
                raise _Wild
            if single and (hi > 1 or hi == _C.MAXREPEAT):
                if prefix:  # "frustrat\w*", "aww+": the word continues unpredictably
                    return {(prefix, True)}
                raise _Wild
            if hi == _C.MAXREPEAT or hi > 4:
                if prefix:
                    return {(prefix, True)}
                raise _Wild
            out = set()
            if lo == 0:
                out |= _walk(rest, prefix)
            # One more copy of the item, then the remaining optional copies.
            more: list[Any] = []
            if hi > 1:
                more = [(op, (max(lo - 1, 0), hi - 1, item))]
            out |= _walk(item + more + rest, prefix)
            if len(out) > _MAX_STARTS:
                raise _Wild
            return out
        small = _small_class(op, av)
        if small is not None:  # "[123]": enumerate the few letters it allows
            out = set()
            for ch in small:
                out |= _walk(rest, prefix + ch)
            return out
        # IN, ANY, CATEGORY, NOT_LITERAL, GROUPREF...: one unknown character.
        if prefix:
            if op in (_C.IN, _C.NOT_LITERAL, _C.ANY) and not _matches_word_char(op, av):
                return {(prefix, False)}
            return {(prefix, True)}
        raise _Wild
    if prefix:
        return {(prefix, False)}
    raise _Wild


def first_words(regex: re.Pattern[str]) -> set[tuple[str, bool]] | None:
    """(word, is_prefix) pairs a match can start with, or None for "anywhere"."""
    if _parser is None or regex.flags & re.IGNORECASE:
        return None
    try:
        return _walk(list(_parser.parse(regex.pattern, regex.flags)), "")
    except (_Wild, RecursionError, TypeError, ValueError, AttributeError):
        return None


class Dispatcher:
    """Find all matches of many ``(key, regex)`` pairs in one tokenised pass.

    Patterns sharing a first word are fused into one regex of optional
    look-aheads, ``(?=(?P<e3>...)|)(?=(?P<e7>...)|)``, so a single C-level
    ``match`` per token evaluates all of them; ``Match.regs`` then gives every
    pattern's span at once.
    """

    def __init__(self, items: Sequence[tuple[Any, re.Pattern[str]]]) -> None:
        self._items = list(items)
        by_word: dict[str, list[int]] = {}
        self._prefix: dict[str, list[tuple[str, int]]] = {}
        self._scan: list[int] = []
        for idx, (_, regex) in enumerate(self._items):
            starts = first_words(regex)
            if starts is None:
                self._scan.append(idx)
                continue
            for word, is_prefix in starts:
                if is_prefix:
                    self._prefix.setdefault(word[:3], []).append((word, idx))
                else:
                    by_word.setdefault(word, []).append(idx)
        self._plans: dict[str, tuple[tuple[Any, ...], tuple[int, ...]]] = {}
        # Prefix keys are the first 1-3 letters; look up only the lengths in use.
        self._prefix_lengths = tuple(sorted({len(k) for k in self._prefix}))
        # word -> (fused regex, ((group number, item index), ...))
        self._fused: dict[str, tuple[re.Pattern[str], tuple[tuple[int, int], ...]]] = {}
        for word, indices in by_word.items():
            unique = sorted(set(indices))
            fused = re.compile(
                "".join(f"(?=(?P<e{i}>{self._items[i][1].pattern})|)" for i in unique),
                self._items[unique[0]][1].flags,
            )
            groups = tuple((fused.groupindex[f"e{i}"], i) for i in unique)
            self._fused[word] = (fused, groups)

    @property
    def scanned(self) -> list[Any]:
        """Keys of the patterns that fall back to a full scan (for tests and tuning)."""
        return [self._items[i][0] for i in self._scan]

    def _plan(self, word: str) -> tuple[tuple[Any, ...], tuple[int, ...]]:
        """The fused regexes and prefix patterns to try at a token ``word`` (memoised)."""
        fused = []
        # "i'll" also starts with the word "i" (there is a word boundary before the apostrophe).
        for key in (word, word[: word.index("'")]) if "'" in word else (word,):
            found = self._fused.get(key)
            if found is not None:
                fused.append(found)
        prefixed = [
            idx
            for n in self._prefix_lengths
            for p, idx in self._prefix.get(word[:n], ())
            if word.startswith(p)
        ]
        plan = (tuple(fused), tuple(dict.fromkeys(prefixed)))
        if len(self._plans) < _MAX_PLANS:  # bounded: adversarial text has endless words
            self._plans[word] = plan
        return plan

    def findall(self, low: str) -> list[tuple[Any, tuple[int, int]]]:
        """(key, (start, end)) pairs, as per-pattern ``finditer`` over ``low`` would give."""
        out: list[tuple[Any, tuple[int, int]]] = []
        last_end = [0] * len(self._items)
        plans_get, items = self._plans.get, self._items
        for tok in TOKEN_START.finditer(low):
            word = tok.group()
            plan = plans_get(word)
            if plan is None:
                plan = self._plan(word)
            fused_list, prefixed = plan
            if not fused_list and not prefixed:
                continue
            pos = tok.start()
            for fused in fused_list:
                m = fused[0].match(low, pos)
                # Every group sits in an optional look-ahead: lastindex is None when none matched.
                if m is not None and m.lastindex is not None:
                    regs = m.regs
                    for group, idx in fused[1]:
                        end = regs[group][1]
                        if end > pos and pos >= last_end[idx]:
                            last_end[idx] = end
                            out.append((items[idx][0], (pos, end)))
            for idx in prefixed:
                if pos >= last_end[idx]:
                    pm = items[idx][1].match(low, pos)
                    if pm is not None and pm.end() > pos:
                        last_end[idx] = pm.end()
                        out.append((items[idx][0], pm.span()))
        for idx in self._scan:
            out.extend((items[idx][0], m.span()) for m in items[idx][1].finditer(low))
        return out
