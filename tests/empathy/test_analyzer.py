"""Behaviour of the empathy analyzer on customer-support examples (no Django needed)."""

from __future__ import annotations

import dataclasses

import pytest

from empathy.analyzer import VERSION, AnalysisResult, analyze, scoring
from empathy.analyzer.result import Opportunity

ANGRY = "This is the THIRD time I'm writing!!! My refund still hasn't arrived and I'm furious."
CALM = "Hi, what time does your support line open on Saturdays?"

# (reply, component, expected minimum level or exact 0) - one row per pattern family.
POSITIVE = [
    ("I'm so sorry to hear your parcel went missing.", "validation", 2),
    ("That sounds really frustrating.", "validation", 2),
    ("I understand how frustrating this must have been.", "validation", 2),
    ("I can see why you feel that way.", "validation", 2),
    ("That's a fair concern.", "validation", 2),
    ("I can imagine how stressful the last week has been.", "validation", 2),
    ("Hang in there, it will get better.", "validation", 1),
    ("It's great that you reached out to us about this.", "validation", 1),
    ("That's not your fault at all.", "validation", 1),
    ("I know how it feels.", "validation", 1),
    ("I feel your frustration with the billing page.", "validation", 2),
    ("You should not feel embarrassed about asking.", "validation", 1),
    ("I am sure you will get it working in no time.", "validation", 1),
    ("Don't be discouraged, we'll get this working.", "validation", 1),
    ("So what I hear you saying is that the app logs you out every hour.", "reflection", 2),
    ("Let me make sure I understood: the second charge appeared on the 3rd.", "reflection", 2),
    ("It sounds like you've been going back and forth with us for weeks.", "reflection", 2),
    ("You must be exhausted after all those calls.", "reflection", 2),
    ("Same, that update drove me mad last week too.", "reflection", 2),
    ("I hear you saying the export fails every night.", "reflection", 2),
    ("I sense you're worn out by all of this.", "reflection", 2),
    ("Could you tell me what happened when you tried to pay?", "listening", 2),
    ("What happens when you open the invoice page on your laptop?", "listening", 2),
    ("Tell me more about the error you saw.", "listening", 1),
    ("How long has this been happening on the new laptop?", "listening", 2),
    ("You sound exhausted after all these calls.", "reflection", 2),
    ("So you're still waiting for the replacement card.", "reflection", 1),
    ("I can understand that, the move has made everything harder.", "reflection", 1),
    ("I see what you mean about the invoice layout.", "validation", 1),
    ("In what way does the app crash when you open it?", "listening", 2),
]
NEGATIVE = [
    ("Our opening hours are 9 to 5.", "validation"),
    ("Did you restart it?", "listening"),
    ("Have you tried clearing the cache?", "listening"),
    ("Your refund has been processed.", "reflection"),
    ("The price stays the same.", "reflection"),
    ("I understand. However, that's policy.", "validation"),
    ("Sorry you feel that way.", "validation"),
    ("Hang on, let me check that for you.", "validation"),
    ("We'll take care of the refund today.", "validation"),
    ("Feel free to contact us if you have further questions.", "validation"),
    ("You know?", "listening"),
    ("So you can reset it from the settings page.", "reflection"),
    ("I see. Your order shipped yesterday.", "validation"),
    ("Understood. The order ships on Monday.", "validation"),
    # An offer to talk is warmth (validation), not a question about the situation.
    ("Would you like to talk about it?", "listening"),
]


@pytest.mark.parametrize(("reply", "component", "minimum"), POSITIVE)
def test_it_detects_each_pattern_family(reply: str, component: str, minimum: int) -> None:
    assert analyze(reply).component(component).level >= minimum  # type: ignore[arg-type]


@pytest.mark.parametrize(("reply", "component"), NEGATIVE)
def test_it_does_not_credit_look_alikes(reply: str, component: str) -> None:
    assert analyze(reply).component(component).level == 0  # type: ignore[arg-type]


def test_it_cancels_an_acknowledgement_taken_back_by_however() -> None:
    result = analyze("I understand. However, that's policy.", ANGRY)
    assert result.validation.level == 0


def test_it_cancels_i_can_understand_taken_back_by_however_in_both_components() -> None:
    result = analyze("I can understand. However, that is our policy.", ANGRY)
    assert (result.validation.level, result.reflection.level) == (0, 0)
    assert any(s.label == "dismissive_turn" for s in result.spans)
    labels = {(s.component, s.label) for s in result.spans}
    assert ("validation", "cancelled_by_turn") in labels
    assert ("tone", "dismissive_turn") in labels
    assert result.tone.level == 0


def test_it_keeps_sympathy_followed_by_a_helpful_but() -> None:
    result = analyze("I'm so sorry to hear that, but here's how I'll fix it today.")
    assert result.validation.level == 2


def test_it_treats_sorry_you_feel_that_way_as_a_tone_penalty_not_validation() -> None:
    result = analyze("Sorry you feel that way.", ANGRY)
    assert result.validation.level == 0
    assert any(s.label == "non_apology" and s.polarity == "-" for s in result.spans)
    assert result.tone.level == 0


def test_it_scores_inconvenience_boilerplate_as_weak_at_most() -> None:
    assert analyze("I'm sorry for the inconvenience.").validation.level <= 1
    robotic = analyze("We apologize for any inconvenience this may have caused.")
    assert robotic.validation.level <= 1
    assert any(s.label == "robotic_boilerplate" for s in robotic.spans)


@pytest.mark.parametrize(
    ("reply", "label"),
    [
        ("You should have read the instructions.", "blame"),
        ("As I already said, the link expires.", "blame"),
        ("Please calm down.", "dismissive"),
        ("Just click the button, obviously.", "minimising_word"),
        ("Your call is important to us.", "robotic_boilerplate"),
        ("PLEASE STOP EMAILING US.", "shouting"),
    ],
)
def test_it_penalises_poor_word_choice(reply: str, label: str) -> None:
    result = analyze(reply)
    assert any(s.label == label and s.polarity == "-" for s in result.spans)
    assert result.tone.level == 0


def test_it_credits_ownership_personal_address_and_next_steps() -> None:
    result = analyze(
        "Hi Maria, I'll make sure the replacement ships today. You'll receive it by Friday."
    )
    labels = {s.label for s in result.spans if s.component == "tone" and s.polarity == "+"}
    assert {"ownership", "personal_address", "next_steps"} <= labels
    assert result.tone.level == 2


def test_it_detects_a_paraphrase_without_a_stock_phrase() -> None:
    customer = "The scanner keeps dropping the wifi connection every evening after the update."
    reply = "Your scanner loses its wifi connection in the evenings since the update."
    result = analyze(reply, customer)
    assert result.reflection.level >= 1
    assert any(s.label == "paraphrase" for s in result.spans)
    assert analyze(reply).reflection.level == 0  # no customer message, no overlap to find


def test_it_points_spans_at_the_evidence_text() -> None:
    reply = "Thanks for writing. That sounds really frustrating. Could you tell me what you saw?"
    result = analyze(reply)
    for span in result.spans:
        assert reply[span.start : span.end] == span.text
    sounds = next(s for s in result.spans if s.label == "that_sounds")
    assert sounds.text == "That sounds really frustrating"
    question = next(s for s in result.spans if s.component == "listening")
    assert question.text == "Could you tell me what you saw?"


def test_it_tailors_suggestions_to_the_customer_issue() -> None:
    customer = (
        "My invoice shows two charges and nobody has answered me for a week. I'm so frustrated!"
    )
    result = analyze("The charge will be reversed.", customer)
    components = {s.component for s in result.suggestions}
    assert {"validation", "reflection", "listening"} <= components
    for suggestion in result.suggestions:
        assert "invoice" in suggestion.example or "charges" in suggestion.example


def test_it_does_not_punish_a_factual_answer_to_a_calm_question() -> None:
    calm = analyze("We open at 9am on Saturdays.", CALM)
    cold = analyze("We open at 9am on Saturdays.", ANGRY)
    assert calm.opportunity == "low"
    assert cold.opportunity == "high"
    assert calm.overall >= 70
    assert cold.overall <= 30
    assert calm.suggestions == ()


def test_it_still_tells_replies_to_a_calm_customer_apart() -> None:
    factual = analyze("We open at 9am on Saturdays.", CALM)
    empathic = analyze(
        "Hi Sam, thanks for asking! We open at 9am on Saturdays. "
        "Is there a particular day you were hoping to call us about your order?",
        CALM,
    )
    blaming = analyze("As I already said, you should have checked the website. 9am.", CALM)
    assert factual.opportunity == empathic.opportunity == blaming.opportunity == "low"
    assert factual.overall >= 70
    assert empathic.overall > factual.overall
    assert blaming.overall < factual.overall


@pytest.mark.parametrize("opportunity", ["low", "normal", "high"])
def test_the_overall_score_rises_with_empathy_and_tone_at_every_opportunity(
    opportunity: Opportunity,
) -> None:
    neutral = scoring.tone_quality(0, 0)
    blamed = scoring.tone_quality(0, 1)
    warm = scoring.tone_quality(2, 0)
    base = scoring.overall_score(0, 0, 0, neutral, opportunity)
    assert scoring.overall_score(0, 0, 0, blamed, opportunity) < base
    assert scoring.overall_score(0, 0, 0, warm, opportunity) > base
    previous = base
    for points in range(1, 5):  # each further empathy point counts, up to four
        score = scoring.overall_score(points // 2, (points + 1) // 2, 0, neutral, opportunity)
        assert score > previous
        previous = score
    assert scoring.overall_score(2, 2, 2, warm, opportunity) == 100
    assert scoring.overall_score(0, 0, 0, 0.0, opportunity) == (60 if opportunity == "low" else 0)


def test_it_rewards_an_empathic_reply_to_an_angry_customer() -> None:
    reply = (
        "I'm so sorry your refund still hasn't arrived - that must be really frustrating. "
        "Could you tell me which card the original payment was made with? "
        "I'll make sure it's sorted today."
    )
    result = analyze(reply, ANGRY)
    assert result.overall >= 85
    assert result.validation.level == 2
    assert result.listening.level >= 1


def test_it_returns_an_immutable_versioned_result() -> None:
    result = analyze("Thanks!")
    assert isinstance(result, AnalysisResult)
    assert result.version == VERSION
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.overall = 5  # type: ignore[misc]
    assert isinstance(result.spans, tuple)
    data = result.to_dict()
    assert data["version"] == VERSION
    assert set(data["listening"]) == {"level", "confidence"}


def test_it_rejects_non_string_input() -> None:
    with pytest.raises(TypeError):
        analyze(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        analyze("hi", 42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "reply",
    [
        "You're not a burden for asking, this is what we're here for.",
        "It's completely normal to feel that way after a week like this.",
        "Don't worry, we'll get this sorted together.",
        "I know the feeling, printers have a mind of their own.",
    ],
)
def test_it_counts_reassurance_and_normalising_as_weak_validation(reply: str) -> None:
    assert analyze(reply).validation.level >= 1


def test_it_takes_reflection_back_along_with_a_cancelled_acknowledgement() -> None:
    result = analyze(
        "I understand your frustration, however that is our policy.", "I want a refund now!!"
    )
    assert result.validation.level == 0
    assert result.reflection.level == 0


def test_it_credits_own_experience_only_when_tied_to_the_customer() -> None:
    customer = "My router keeps dropping the connection every hour."
    shared = analyze("I had the same problem with my router last year.", customer)
    assert shared.reflection.level == 2
    assert any(s.label == "shared_experience" for s in shared.spans)
    unrelated = analyze("I was at the office all day yesterday.", customer)
    assert unrelated.reflection.level == 0


def test_it_does_not_mistake_agent_actions_for_shared_experience() -> None:
    customer = "I was charged twice for my subscription and I'm annoyed."
    result = analyze("I've refunded the second charge on your subscription too.", customer)
    assert result.reflection.level == 0
    ownership = next(s for s in result.spans if s.label == "ownership")
    assert ownership.text == "I've refunded"


def test_it_ignores_feelings_named_in_a_condition() -> None:
    assert (
        analyze("If you're frustrated with the app, press the help button.").reflection.level == 0
    )
    assert analyze("You must be so frustrated by now.").reflection.level == 2


def test_it_grades_generic_openers_below_questions_about_the_customer() -> None:
    assert analyze("Hi, how are you today?").listening.level == 1
    assert analyze("How long have you had the problem with the scanner?").listening.level == 2
    assert analyze("Is that right?").listening.level == 0
    # Open questions about feelings in general are generic; naming the issue makes them specific.
    assert analyze("What's been bothering you lately?").listening.level == 1
    assert analyze("What makes you feel that way?").listening.level == 1
    assert analyze("What makes you feel the invoice is wrong?").listening.level == 2


def test_it_picks_the_issue_not_an_idiom_for_suggestions() -> None:
    customer = "I'm losing my mind, the dashboard won't load since this morning!!"
    result = analyze("Try again later.", customer)
    assert result.suggestions
    assert all("mind" not in s.example for s in result.suggestions)
    assert any("dashboard" in s.example for s in result.suggestions)


@pytest.mark.parametrize(
    "reply",
    [
        "You've got this - I know you'll nail the migration.",
        "That sounds like a sensible plan.",
        "I know it's really stressful when payroll is due.",
    ],
)
def test_it_recognises_encouragement_and_acknowledged_difficulty(reply: str) -> None:
    assert analyze(reply).validation.level >= 1


@pytest.mark.parametrize(
    "reply",
    [
        "It sounds like the outage has left your whole team stuck.",
        "I can tell this has made your week a lot harder.",
        "From my understanding, your card was charged but the order never went through.",
    ],
)
def test_it_recognises_interpretive_restatements(reply: str) -> None:
    assert analyze(reply).reflection.level == 2


def test_it_does_not_treat_praise_of_an_idea_as_restatement() -> None:
    assert analyze("That sounds like a great idea, thanks!").reflection.level == 0


@pytest.mark.parametrize(
    "reply",
    ["Do your best with the upload and let me know.", "When you're ready, reply to this email."],
)
def test_it_does_not_read_imperatives_or_when_clauses_as_questions(reply: str) -> None:
    assert analyze(reply).listening.level == 0


def test_it_reads_an_unpunctuated_question_to_the_customer() -> None:
    assert analyze("How long have you been seeing the error").listening.level == 2
    assert analyze("Did you get a confirmation email from us").listening.level == 0


def test_a_paraphrase_restates_and_a_condition_or_advice_does_not() -> None:
    customer = "My invoice shows two charges this month and the second charge is wrong."
    restated = analyze("Your invoice shows two charges this month.", customer)
    conditional = analyze(
        "If your invoice shows two charges this month, you could ask the bank.", customer
    )
    assert restated.reflection.level == 2
    assert conditional.reflection.level == 0


@pytest.mark.parametrize(
    "reply",
    [
        "Thanks for waiting, my friend.",
        "I don't think that matters here, my friend.",
        "I'm so glad it works again, too.",
    ],
)
def test_addressing_or_opinions_are_not_shared_experience(reply: str) -> None:
    assert analyze(reply, "My friend told me the app keeps crashing.").reflection.level == 0
