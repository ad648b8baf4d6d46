"""The first-word dispatcher finds exactly what scanning every pattern would find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from empathy.analyzer.dispatch import Dispatcher, first_words
from empathy.analyzer.tone_patterns import ALL_FAMILIES

WORDS = [
    "i",
    "i'm",
    "you",
    "you're",
    "that",
    "that's",
    "this",
    "so",
    "sorry",
    "really",
    "frustrating",
    "understand",
    "how",
    "what",
    "could",
    "tell",
    "me",
    "more",
    "feel",
    "same",
    "hear",
    "must",
    "be",
    "sounds",
    "like",
    "just",
    "policy",
    "calm",
    "down",
    "as",
    "already",
    "said",
    "should",
    "have",
    "we",
    "apologize",
    "for",
    "any",
    "inconvenience",
    "i'll",
    "make",
    "sure",
    "next",
    "step",
    "within",
    "2",
    "days",
    "l2",
    "p1",
    "congratulations",
    "aww",
    "it",
    "is",
    "not",
    "alone",
    "hang",
    "in",
    "there",
    "the",
    "order",
    ",",
    ".",
    "?",
    "!",
    "\n",
]


def _naive(items: list[tuple[object, re.Pattern[str]]], text: str) -> set[tuple[int, int, int]]:
    return {
        (i, m.start(), m.end())
        for i, (_, regex) in enumerate(items)
        for m in regex.finditer(text)
        if m.end() > m.start()
    }


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_it_matches_a_full_scan_of_every_pattern(words: list[str]) -> None:
    text = " ".join(words)
    items = ALL_FAMILIES._items
    index = {id(key): i for i, (key, _) in enumerate(items)}
    found = {(index[id(key)], start, end) for key, (start, end) in ALL_FAMILIES.findall(text)}
    assert found == _naive(items, text)


def test_it_enumerates_first_words_and_prefixes() -> None:
    assert first_words(re.compile(r"\b(?:so\s+)?what\s+i")) == {("so", False), ("what", False)}
    assert first_words(re.compile(r"\bfrustrat\w*")) == {("frustrat", True)}
    assert first_words(re.compile(r"\bl[12]\b")) == {("l1", False), ("l2", False)}
    assert first_words(re.compile(r"\w+ing")) is None


def test_it_falls_back_to_scanning_patterns_without_a_known_first_word() -> None:
    dispatcher = Dispatcher([("any", re.compile(r"\w+ing\b")), ("sorry", re.compile(r"\bsorry"))])
    assert dispatcher.scanned == ["any"]
    found = {key for key, _ in dispatcher.findall("sorry, nothing is working")}
    assert found == {"any", "sorry"}


def test_it_finds_patterns_that_have_capture_groups_of_their_own() -> None:
    # With only the dispatcher's groups capturing, m.groups() lines up with the
    # patterns; a pattern's own group shifts the numbering, so it takes the slow path.
    items = [
        ("grouped", re.compile(r"\b(so)\s+(sorry)")),
        ("plain", re.compile(r"\bso\s+sorry\b")),
        ("miss", re.compile(r"\bso\s+glad")),
    ]
    dispatcher = Dispatcher(items)
    text = "i am so sorry, so sorry"
    assert sorted(dispatcher.findall(text)) == sorted(
        (key, m.span()) for key, regex in items for m in regex.finditer(text)
    )
