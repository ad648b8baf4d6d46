"""Property-based and hostile-input tests: defined results, no crash, no hang."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from empathy.analyzer import MAX_CHARS, analyze


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(), st.one_of(st.none(), st.text()))
def test_it_returns_a_well_formed_result_for_any_text(reply: str, customer: str | None) -> None:
    result = analyze(reply, customer)
    assert 0 <= result.overall <= 100
    for name in ("listening", "validation", "reflection", "tone"):
        score = result.component(name)  # type: ignore[arg-type]
        assert score.level in (0, 1, 2)
        assert 0.0 <= score.confidence <= 1.0
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(reply)
        assert reply[span.start : span.end] == span.text
        assert span.polarity in ("+", "-")


@settings(max_examples=100, deadline=None, database=None)
@given(st.lists(st.sampled_from(["sorry ", "you ", "that ", "sounds ", "?", "!", "I ", "AAAA "])))
def test_it_handles_repetitive_cue_soup(words: list[str]) -> None:
    analyze("".join(words) * 20)


def test_it_caps_a_megabyte_of_text_and_says_so() -> None:
    reply = ("I'm sorry that sounds frustrating, what happened? " * 25_000)[:1_000_000]
    start = time.perf_counter()
    result = analyze(reply, reply)
    assert time.perf_counter() - start < 5
    assert result.truncated is True
    assert result.analyzed_chars == MAX_CHARS
    assert all(s.end <= MAX_CHARS for s in result.spans)


def test_it_survives_html_emoji_control_characters_and_other_languages() -> None:
    for reply in [
        "",
        "   ",
        "<p>I'm <b>so sorry</b> to hear that &amp; thanks</p>",
        "\U0001f622\U0001f622 sorry \U0001f64f",
        "Es tut mir leid. \u00bfQu\u00e9 pas\u00f3? \u3054\u3081\u3093\u306a\u3055\u3044",
        "sorry\x00\x01\x02 that sounds hard\x7f",
        "\u0130stanbul \u0130\u0130\u0130 sorry",
        "a" * 50_000,
        "(" * 30_000,
    ]:
        result = analyze(reply, reply)
        for span in result.spans:
            assert reply[span.start : span.end] == span.text


def test_it_reads_sympathy_inside_html() -> None:
    assert analyze("<p>I'm <b>so sorry</b> to hear that</p>").validation.level == 2
