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
from itertools import compress
from typing import Any, NamedTuple

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
_MISSING: Any = object()


class _Plan(NamedTuple):
    """The fused regex to run at one token and the items its e-groups stand for."""

    regex: re.Pattern[str]
    idxs: tuple[int, ...]  # item index of each e-group, in group order
    positions: tuple[int, ...] | None  # range(len(idxs)) when only e-groups capture


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


def split_branches(pattern: str) -> list[str] | None:
    """The top-level alternatives of a ``\\b(?:A|B|...)`` pattern, else None.

    A plain source scan (escapes, classes and groups tracked); the caller
    checks the result by compiling each alternative.
    """
    if not pattern.startswith("\\b(?:") or not pattern.endswith(")"):
        return None
    body = pattern[5:-1]
    out: list[str] = []
    depth, in_class, i, last = 0, False, 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if body[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None  # the first group closes before the end: not one outer group
        elif ch == "|" and depth == 0:
            out.append(body[last:i])
            last = i + 1
        i += 1
    if depth != 0 or in_class:
        return None
    out.append(body[last:])
    return out


class Dispatcher:
    """Find all matches of many ``(key, regex)`` pairs in one tokenised pass.

    Patterns that can start at a token are fused into one regex of optional
    look-aheads, ``(?=(?P<e3>...)|)(?=(?P<e7>...)|)``, so a single C-level
    ``match`` per token evaluates all of them; ``Match.regs`` then gives every
    pattern's span at once. A pattern that is an alternation ``\\b(?:A|B|...)``
    keeps only the alternatives that can start with that token (in their
    original order), so the regex engine does not try dozens of alternatives
    that fail on the first word: the match is the same, found faster.
    """

    def __init__(self, items: Sequence[tuple[Any, re.Pattern[str]]]) -> None:
        self._items = list(items)
        self._scan: list[int] = []
        # Per item: [(branch source or None for the whole pattern, exact words, prefixes)].
        self._branches: dict[int, list[tuple[str | None, frozenset[str], tuple[str, ...]]]] = {}
        by_word: dict[str, set[int]] = {}
        prefixes: dict[str, set[int]] = {}
        for idx, (_, regex) in enumerate(self._items):
            starts = first_words(regex)
            if starts is None:
                self._scan.append(idx)
                continue
            branches = self._split(regex)
            self._branches[idx] = branches
            for _, words, prefs in branches:
                for word in words:
                    by_word.setdefault(word, set()).add(idx)
                for pref in prefs:
                    prefixes.setdefault(pref, set()).add(idx)
        self._by_word = by_word
        self._prefixes = prefixes
        self._prefix_lengths = tuple(sorted({len(p) for p in prefixes}))
        self._keys = [key for key, _ in self._items]
        self._plans: dict[str, _Plan | None] = {}
        self._fused: dict[tuple[Any, ...], _Plan] = {}

    @staticmethod
    def _split(regex: re.Pattern[str]) -> list[tuple[str | None, frozenset[str], tuple[str, ...]]]:
        """The item's alternatives with the words and prefixes each can start with."""
        whole = first_words(regex) or set()
        parts = split_branches(regex.pattern)
        out: list[tuple[str | None, frozenset[str], tuple[str, ...]]] = []
        if parts is not None and len(parts) > 1:
            for part in parts:
                try:
                    branch = re.compile(r"\b(?:" + part + ")", regex.flags)
                except re.error:
                    out = []
                    break
                starts = first_words(branch)
                if starts is None:
                    out = []
                    break
                out.append(
                    (
                        part,
                        frozenset(w for w, is_prefix in starts if not is_prefix),
                        tuple(sorted(w for w, is_prefix in starts if is_prefix)),
                    )
                )
        if not out:
            out = [
                (
                    None,
                    frozenset(w for w, is_prefix in whole if not is_prefix),
                    tuple(sorted(w for w, is_prefix in whole if is_prefix)),
                )
            ]
        return out

    @property
    def scanned(self) -> list[Any]:
        """Keys of the patterns that fall back to a full scan (for tests and tuning)."""
        return [self._items[i][0] for i in self._scan]

    @staticmethod
    def _word_fits(word: str, token: str) -> bool:
        """Whether an alternative whose first word is exactly ``word`` can match at ``token``.

        The word must be the token, or a part of it that ends at an apostrophe
        ("i" in "i'll": the regex's word boundary falls before the apostrophe).
        """
        if word == token:
            return True
        return (
            token.startswith(word)
            and len(word) < len(token)
            and (token[len(word)] == "'" or word[-1] == "'")
        )

    def _plan(self, token: str) -> _Plan | None:
        """The fused regex to try at ``token`` (memoised; None if nothing can start there)."""
        candidates: set[int] = set()
        for cut in range(1, len(token) + 1):
            if cut == len(token) or token[cut] == "'" or token[cut - 1] == "'":
                candidates |= self._by_word.get(token[:cut], set())
        for n in self._prefix_lengths:
            candidates |= self._prefixes.get(token[:n], set()) if n <= len(token) else set()
        key_parts: list[tuple[int, tuple[int, ...]]] = []
        for idx in sorted(candidates):
            keep = tuple(
                b
                for b, (_, words, prefs) in enumerate(self._branches[idx])
                if any(self._word_fits(w, token) for w in words)
                or any(token.startswith(p) for p in prefs)
            )
            if keep:
                key_parts.append((idx, keep))
        plan = self._fused_for(tuple(key_parts)) if key_parts else None
        if len(self._plans) < _MAX_PLANS:  # bounded: adversarial text has endless words
            self._plans[token] = plan
        return plan

    def _fused_for(self, key: tuple[tuple[int, tuple[int, ...]], ...]) -> _Plan:
        found = self._fused.get(key)
        if found is not None:
            return found
        parts = []
        for idx, keep in key:
            branches = self._branches[idx]
            if branches[0][0] is None or len(keep) == len(branches):
                body = self._items[idx][1].pattern
            else:
                body = r"\b(?:" + "|".join(branches[b][0] or "" for b in keep) + ")"
            parts.append(f"(?=(?P<e{idx}>{body})|)")
        fused = re.compile("".join(parts), self._items[key[0][0]][1].flags)
        idxs = tuple(idx for idx, _ in key)
        if fused.groups == len(idxs):
            # Only the e-groups capture, in key order: m.groups()[k] is item idxs[k]'s match.
            result = _Plan(fused, idxs, tuple(range(len(idxs))))
        else:  # a pattern with its own groups: find each e-group by name
            result = _Plan(fused, idxs, None)
        if len(self._fused) < _MAX_PLANS:
            self._fused[key] = result
        return result

    def findall(self, low: str) -> list[tuple[Any, tuple[int, int]]]:
        """(key, (start, end)) pairs, as per-pattern ``finditer`` over ``low`` would give."""
        out: list[tuple[Any, tuple[int, int]]] = []
        last_end = [0] * len(self._items)
        plans, plan_for, keys = self._plans, self._plan, self._keys
        missing = _MISSING
        for tok in TOKEN_START.finditer(low):
            word = tok.group()
            plan = plans.get(word, missing)
            if plan is missing:
                plan = plan_for(word)
            if plan is None:
                continue
            pos = tok.start()
            # Never None: every group sits in an optional look-ahead, so the fused
            # regex always matches; lastindex is None when no pattern matched.
            m = plan.regex.match(low, pos)
            if m.lastindex is None:
                continue
            idxs = plan.idxs
            if plan.positions is not None:
                # compress() picks the non-empty groups in C: a token with 27
                # candidate patterns usually matches one or two of them.
                groups = m.groups()
                for k in compress(plan.positions, groups):
                    idx = idxs[k]
                    if pos >= last_end[idx]:
                        end = pos + len(groups[k])
                        last_end[idx] = end
                        out.append((keys[idx], (pos, end)))
                continue
            groupindex = plan.regex.groupindex
            for idx in idxs:
                end = m.end(groupindex[f"e{idx}"])
                if end > pos and pos >= last_end[idx]:
                    last_end[idx] = end
                    out.append((keys[idx], (pos, end)))
        items = self._items
        for idx in self._scan:
            out.extend((items[idx][0], m.span()) for m in items[idx][1].finditer(low))
        return out
