# ruff: noqa: E501 - long regex alternations read better unsplit; each is one pattern family.
"""Compiled regular expressions for every pattern family.

All patterns are compiled once at import. They avoid nested unbounded
quantifiers (only bounded ``{0,n}`` repeats of simple groups), so matching is
linear in the (capped) input length and cannot backtrack catastrophically.

Each family is a list of ``(label, strength, pattern)`` for one component. All
families, plus the sentence cues in ``CUES``, are matched together in one token
pass by :class:`empathy.analyzer.dispatch.Dispatcher` (see ``tone_patterns``).
Patterns are written lower-case and run on a lower-cased copy of the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from empathy.analyzer.lexicon import NEGATIVE_FEELINGS, POSITIVE_FEELINGS

# Every pattern runs on lower-cased text (see text.lower_same_length), so no
# IGNORECASE: case-insensitive matching is about twice as slow in CPython's re.
FLAGS = 0
NEG = "(?:" + "|".join(NEGATIVE_FEELINGS) + ")"
POS = "(?:" + "|".join(POSITIVE_FEELINGS) + ")"
INTENS = r"(?:(?:so|really|very|incredibly|super|pretty|such|extremely|quite|truly|a\s+bit|a\s+little|absolutely|genuinely|totally|understandably|incredibly|hugely|deeply|seriously|more\s+than)\s+){0,2}"
SUBJ_IT = r"(?:that(?:'s|\s+(?:is|was|has\s+been))|(?:that|this|which|all\s+(?:that|this))\s+(?:sounds?|seems?|must\s+(?:be|have\s+been|feel)|must've\s+been|looks?|(?:would|can|could|might)\s+(?:be|feel|get))|it\s+(?:sounds?|seems?|must\s+(?:be|have\s+been|feel)|must've\s+been|looks?))"


@dataclass(frozen=True, slots=True)
class Entry:
    """One pattern with the evidence it produces."""

    component: str
    polarity: str
    label: str
    strength: float
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Family:
    """The entries of one component (and polarity)."""

    entries: tuple[Entry, ...]


def _family(items: list[tuple[str, float, str]], component: str, polarity: str = "+") -> Family:
    return Family(
        tuple(
            Entry(component, polarity, label, strength, re.compile(r"\b(?:" + pattern + ")"))
            for label, strength, pattern in items
        )
    )


# ---------------------------------------------------------------- validation
VALIDATION = _family(
    [
        # "That sounds really frustrating", "this must have been stressful".
        (
            "that_sounds",
            2,
            SUBJ_IT
            + r"\s+(?:like\s+)?"
            + INTENS
            + r"(?:an?\s+)?(?:"
            + NEG
            + r")\b(?!\s+to\s+(?:say|tell|know|find|see|read|answer))",
        ),
        (
            "that_sounds",
            2,
            r"that\s+(?:really\s+|totally\s+)?sucks|(?:what|such)\s+a\s+(?:bummer|shame|pity)|(?:it'?s|that'?s|its|thats)\s+a\s+(?:bummer|shame|pity)",
        ),
        (
            "shared_feeling",
            1,
            r"i(?:'d|\s+would)\s+(?:feel|have\s+felt|be\s+feeling)\s+(?:exactly\s+)?the\s+same|i(?:'d|\s+would)\s+(?:be|feel)\s+(?:just\s+as\s+|so\s+|pretty\s+|really\s+)?(?:"
            + NEG
            + r")|i\s+want\s+you\s+to\s+(?:be|know|feel)",
        ),
        ("sounds_feeling", 2, r"(?:sounds|seems)\s+" + INTENS + r"(?:an?\s+)?" + NEG + r"\b"),
        (
            "how_feeling",
            2,
            r"how\s+" + INTENS + NEG + r"\s+(?:this|that|it)\s+(?:is|was|must|has|can|could|would)",
        ),
        ("i_can_imagine", 2, r"i\s+(?:can\s+(?:only\s+)?|could\s+)imagine"),
        (
            "i_understand_feeling",
            2,
            r"i\s+(?:completely\s+|totally\s+|fully\s+|really\s+|can\s+|certainly\s+|can\s+certainly\s+)?(?:understand|see|get|appreciate)\s+(?:why|how)\s+(?:you|this|that|it|upsetting|frustrating|annoying|stressful)",
        ),
        (
            "i_understand_feeling",
            2,
            r"i\s+(?:(?:completely|totally|fully|really|can|definitely|certainly|truly|absolutely)\s+){0,2}(?:understand|appreciate|share|hear)\s+(?:your|the)\s+(?:frustration|concern|disappointment|worry|worries|annoyance|anger|upset|pain|feelings?|stress|anxiety|situation)",
        ),
        ("i_hear_you", 2, r"i\s+hear\s+you\b"),
        (
            "feel_for_you",
            2,
            r"i\s+(?:really\s+)?feel\s+(?:so\s+)?(?:for\s+you|(?:bad|terrible|awful|sad)\s+(?:for\s+you|that\s+you)|your\s+pain)|i\s+know\s+your\s+pain|i\s+(?:can\s+)?feel\s+your\s+(?:\w+\s+){0,2}?(?:pain|turmoil|frustration|sadness|hurt|struggle|anger|stress|loneliness)",
        ),
        ("feel_for_you", 2, r"my\s+heart\s+(?:goes|breaks)|heartbreaking\s+to\s+(?:hear|read)"),
        (
            "fair_concern",
            2,
            r"(?:that'?s|that\s+is|it'?s|it\s+is|this\s+is|which\s+is|your\s+\w+\s+(?:is|are))\s+(?:a\s+)?(?:completely\s+|totally\s+|perfectly\s+|entirely\s+|very\s+|really\s+|so\s+)?(?:fair|valid|reasonable|understandable|legitimate|justified)\b",
        ),
        (
            "fair_concern",
            2,
            r"(?:it'?s|it\s+is)\s+(?:completely\s+|totally\s+|perfectly\s+|only\s+)?(?:natural|normal|okay|ok|alright|fine)\s+to\s+(?:feel|be)",
        ),
        (
            "fair_concern",
            2,
            r"you\s+have\s+every\s+right\s+to|you'?re\s+(?:absolutely\s+|completely\s+|totally\s+)?right\s+to\s+(?:be|feel)|no\s+wonder\s+you|anyone\s+would\s+(?:be|feel)|understandably\s+(?:so|upset|frustrated|annoyed)|i\s+(?:don'?t|can'?t|cannot|wouldn'?t)\s+blame\s+you|of\s+course\s+you'?re\s+"
            + NEG,
        ),
        ("empathic_interjection", 1, r"oh\s+no\b|oh\s+dear\b|ugh\b|aww+\b|yikes\b|oof\b"),
        (
            "bare_acknowledgement",
            1,
            r"(?:you\s+are\s+(?:absolutely\s+|so\s+|totally\s+)?right|agree\s+more|so\s+true|i\s+(?:can\s+|do\s+)?(?:totally\s+|completely\s+|fully\s+|really\s+)?(?:understand|see(?=\s+what\s+you))|(?:definitely|totally|completely|absolutely|fully)\s+agree|agreed|that\s+makes\s+(?:total\s+|complete\s+|perfect\s+)?sense|fair\s+enough|i\s+(?:kind\s+of\s+|kinda\s+|totally\s+|completely\s+|fully\s+|definitely\s+)?agree|you'?re\s+(?:absolutely\s+|completely\s+|totally\s+|so\s+)?right)\b",
        ),
        (
            "i_understand_feeling",
            2,
            r"i\s+(?:totally\s+|completely\s+|fully\s+|really\s+|can\s+|do\s+)?(?:know|understand|get|see|realise|realize|appreciate)\s+(?:that\s+)?(?:\w+\s+){0,5}?(?:it'?s|is|are|was|were|can\s+be|must\s+be|has\s+been|have\s+been)\s+"
            + INTENS
            + r"(?:an?\s+)?"
            + NEG
            + r"\b",
        ),
        (
            "encouragement",
            1,
            r"you\s+got\s+this|i\s+believe\s+in\s+you|i\s+know\s+you(?:'ll|\s+will|\s+can)|(?:it|things|everything)\s+will\s+work\s+out|you(?:'re|\s+are)\s+(?:getting\s+through|on\s+(?:your|the\s+right)\s+(?:way|track))|you(?:'ll|\s+will)\s+(?:find\s+(?:a|the|your|something)|nail\s+it|make\s+it|do\s+(?:great|fine|well)|be\s+(?:ok|okay|fine|great|alright))|you\s+(?:sound|seem)\s+like\s+(?:a|an|such\s+a)\s+(?:good|great|wonderful|caring|kind|strong|smart|lovely|amazing|thoughtful|dedicated)|you\s+have\s+(?:a|such\s+a)\s+(?:wonderful|great|good|kind|beautiful|lovely|strong)\b|(?:sounds|seems)\s+like\s+(?:a|the)\s+(?:really\s+)?(?:good|great|fantastic|wonderful|smart|right|healthy|sensible)\s+(?:idea|choice|plan|step|decision|move|approach)",
        ),
        (
            "affirmation",
            1,
            r"you(?:'re|\s+are|\s+aren'?t|\s+are\s+not|'re\s+not)\s+(?:definitely\s+|certainly\s+|really\s+|so\s+|such\s+)?(?:not\s+)?(?:an?\s+)?(?:bother|failure|burden|loser|useless|worthless|weak|broken|crazy|stupid|incredible|amazing|wonderful|awesome|golden|enough|capable|worth\s+it|valued|loved|important|brave|strong|smart|kind|doing\s+(?:great|well|fine|your\s+best))\b|you\s+have\s+(?:the\s+)?(?:strength|courage|power)|(?:i'?m|i\s+am)\s+(?:quite\s+|so\s+|very\s+|really\s+)?sure\s+(?:that\s+)?you(?:'re|\s+are|'ll|\s+will|\s+can|\s+have)|(?:shouldn'?t|don'?t|should\s+not|do\s+not|no\s+need\s+to)\s+(?:be|feel)\s+(?:ashamed|guilty|embarrassed|bad\s+about)|nothing\s+to\s+be\s+ashamed|no\s+shame\s+in|should\s+be\s+(?:commended|praised)|(?:it'?s|that'?s|it\s+is|that\s+is)\s+(?:so\s+|really\s+|very\s+)?(?:great|good|wonderful|awesome|amazing|nice|fantastic|brilliant)\s+that\s+you|(?:should|can)\s+(?:be|feel)\s+(?:really\s+|so\s+|very\s+)?proud|don'?t\s+be\s+(?:so\s+|too\s+)?hard\s+on\s+yourself|(?:that'?s|thats|it'?s|its|that\s+is|it\s+is)\s+(?:totally\s+|completely\s+|perfectly\s+|very\s+|so\s+|pretty\s+)?(?:normal|natural|understandable|common)\b(?!\s+(?:practice|procedure|process|for\s+(?:us|our|the\s+system)))",
        ),
        (
            "offer_to_listen",
            1,
            r"i'?m\s+(?:always\s+)?listening|lend\s+(?:you\s+)?(?:an?\s+)?ear|let'?s\s+talk|(?:you'?ve|you)\s+got\s+(?:us|me)\b|someone\s+to\s+talk\s+to|i\s+promise|one\s+(?:day|step)\s+at\s+a\s+time|keep\s+(?:it\s+up|up\s+the|fighting|looking|trying|practicing|pushing|your\s+chin)|please\s+(?:please\s+)?don'?t\s+(?:kill|hurt|cut|give\s+up|blame\s+yourself|be\s+hard\s+on)",
        ),
        (
            "shared_understanding",
            1,
            r"(?:i\s+know\s+(?:the|that|this)\s+feel(?:ing)?|(?<![a-z]\s)know\s+(?:the|that)\s+feeling|exactly\s+how\s+i\s+feel|i\s+know\s+how\s+(?:it|that|this)\s+feels|i\s+(?:really\s+|totally\s+)?resonate|i\s+get\s+(?:it|that|this)|i\s+know\s+(?:exactly\s+)?(?:how|what)\s+(?:you|it|that|this)(?:'re|\s+are)?\s*(?:feel(?:ing|s)?|mean|'s|is|must|going)|i\s+feel\s+(?:you|ya)|i\s+can\s+relate)\b",
        ),
        (
            "reassurance",
            1,
            r"hang\s+in\b|(?:i'?m|im|i\s+am)\s+(?:right\s+)?here\s+for\s+(?:ya|u)\b|(?:i'?m|im|i\s+am)\s+right\s+here\b|i\s+can\s+be\s+here\b|don'?t\s+be\s+(?:so\s+)?(?:scared|afraid|hurt|sad|upset|discouraged|down\s+on\s+yourself)\b(?!\s+to\b)|rooting\s+for\s+(?:you|ya|u)\b|hang\s+on\s+(?:there|tight)\b|(?:someone|somebody)\s+(?:out\s+there\s+|here\s+)?(?:really\s+)?cares?\s+(?:about|for)\s+you|hold\s+on\s+(?:a\s+little|for\s+a\s+(?:little|bit)|tight)|not\s+alone|(?:it|things|everything|life)\s+(?:will|'?ll|is\s+going\s+to|are\s+going\s+to|can|does|do)\s+(?:get\s+|be\s+)?(?:better|ok(?:ay)?|fine|alright|improve)|(?:it|things|life)\s+gets?\s+better|(?:want|wanna|need|like)\s+(?:someone\s+|somebody\s+)?to\s+(?:talk|chat|vent)|willing\s+to\s+(?:chat|talk|listen)|here\s+(?:to\s+(?:help|listen)|for\s+(?:you|u))|(?:you\s+can|feel\s+free\s+to|you'?re\s+welcome\s+to|free\s+to)\s+(?:talk|reach\s+out|speak)\s+to\s+me\b|my\s+(?:inbox|dms?|pms?)\s+(?:is|are)\s+(?:always\s+)?open|(?:people|we|i|they|others|family|friends|parents|everyone)\s+(?:\w+\s+){0,3}?(?:care\s+about|cares\s+about|loves?|need)\s+(?:you|u)\b|you(?:'re|\s+are)\s+(?:so\s+much\s+|much\s+|a\s+lot\s+)?(?:stronger|braver|better|smarter)\s+than|you\s+can\s+(?:overcome|cope|get\s+through|beat|handle)|(?:it'?s|you'?re|you\s+are)\s+(?:definitely\s+|certainly\s+)?not\s+(?:just\s+you|the\s+only\s+one)|(?:it'?s|its|that'?s|thats)\s+(?:totally\s+|completely\s+|perfectly\s+)?(?:ok(?:ay)?|alright)(?=\s*(?:[,.!]|$))|you'?re\s+(?:definitely\s+)?not\s+(?:a\s+(?:bother|burden)|crazy|weak|broken|stupid|worthless)|you\s+are\s+(?:definitely\s+)?not\s+(?:a\s+(?:bother|burden)|crazy|weak|broken|stupid|worthless)|you(?:'ll|\s+will)\s+(?:get\s+through|be\s+(?:ok|okay|fine|alright|able\s+to)|make\s+it|overcome|find\s+(?:a\s+way|someone|your))|(?:doing|did)\s+the\s+right\s+thing|(?:that'?s|that\s+is|this\s+is|what|sounds\s+like|such)\s+(?:a\s+)?(?:really\s+)?(?:great|good|wonderful|excellent|brilliant)\s+(?:idea|start|step|plan|choice|question|point)|you\s+did\s+(?:the\s+right\s+thing|(?:a\s+)?(?:great|good)\s+job)|be\s+proud|in\s+(?:my|our)\s+prayers|(?:you'?re|you\s+are)\s+in\s+(?:my|our)\s+thoughts|thinking\s+of\s+you|happy\s+birthday|lucky\s+you|you\s+matter|you\s+are\s+(?:loved|worth\s+it|important|valued|strong|brave)|it'?s\s+(?:ok|okay|alright)\s+(?:to|if|that)|don'?t\s+give\s+up|stay\s+strong|keep\s+(?:your\s+head\s+up|fighting)|you(?:'ve|\s+have)\s+got\s+this|you\s+can\s+do\s+(?:it|this)|rest\s+assured|don'?t\s+worry|no\s+need\s+to\s+worry|you\s+deserve|(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:always\s+)?here\s+(?:for\s+you|if\s+you|to\s+(?:listen|talk|help\s+you))|feel\s+free\s+to\s+(?:always\s+)?(?:talk|vent|chat|message\s+me|pm|dm|reach\s+out\s+to\s+me|shoot\s+me|hit\s+me|send\s+me|come\s+(?:back\s+)?(?:and\s+|to\s+)?(?:talk|vent|chat))\b|(?:pm|dm|message)\s+me|i'?m\s+with\s+you|we'?re\s+in\s+this\s+together|(?:big\s+|virtual\s+)?hugs\b|(?:a\s+|big\s+|virtual\s+)hug\s+(?:for|to)\s+you|sending\s+(?:you\s+)?(?:love|hugs|strength|good\s+vibes|positive)|take\s+care\s+of\s+yourself|be\s+kind\s+to\s+yourself|you'?re\s+doing\s+(?:great|well|fine|the\s+right|your\s+best|a\s+great)|(?:it'?s|it\s+is|that'?s|that\s+is)\s+(?:certainly\s+|definitely\s+|absolutely\s+)?not\s+your\s+fault|proud\s+of\s+you|(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:right\s+)?(?:there\s+)?with\s+you|(?:pray|praying)\s+for\s+(?:you|u)\b|(?:you\s+can|feel\s+free\s+to)\s+(?:always\s+)?(?:chat|talk|vent)\s+(?:with|to)\s+me",
        ),
        (
            "good_wishes",
            1,
            r"(?:i|we)\s+(?:really\s+|truly\s+|sincerely\s+)?(?:hope|wish)\s+(?!(?:this|that|it)\s+helps)(?:you|things|that|it|this|your|for|everything|tomorrow)|hope\s+(?!(?:this|that|it)\s+helps)(?:you|things|it|this|everything|tomorrow|your)|hopefully,?\s+(?:you|things|it|this|everything|your)|good\s+luck|best\s+of\s+luck|best\s+wishes|take\s+care(?!\s+of\s+(?!yourself|urself|your\s+self))|god\s+bless|all\s+the\s+best|wishing\s+you",
        ),
        (
            "shared_joy",
            1,
            r"(?:i'?m|i\s+am|so)\s+glad\s+(?:that\s+)?(?:it|you)\s+(?:\w+ed|found|got|are|aren'?t|have|did)\b|(?:glad|happy|pleased|relieved|thrilled|delighted)\s+(?:to\s+(?:hear|read|see)|for\s+you|that\s+(?:you|it|things|your))|congrat\w*|well\s+done|(?:glad|nice|happy|great|good)\s+to\s+(?:meet|see|have)\s+(?:you|ya)|welcome\s+(?:to|back)|good\s+for\s+you|(?:that'?s|that\s+is|this\s+is|sounds)\s+"
            + INTENS
            + POS
            + r"\b",
        ),
    ],
    "validation",
)

# Every "sorry"/"apologise": classified by what follows (see detectors).
APOLOGY = re.compile(
    r"\b(?:(?:i'?m|i\s+am|im|we'?re|we\s+are|i|we)\s+)?(?:(?:so|really|very|truly|deeply|terribly|sincerely|genuinely|awfully|incredibly)\s+){0,2}(?:sorry|apologi[sz]e|apologies)\b",
    FLAGS,
)
NON_APOLOGY_AFTER = re.compile(
    r"\s*,?\s*(?:(?:if|that)\s+(?:you|u)\s+(?:feel|felt|think|thought|were|are|got|took|have\s+been|may\s+have|found|see|saw)\b|(?:that\s+)?(?:you|u)\s+(?:feel|felt|think|thought|see\s+it)\s+(?:that\s+way|this\s+way|like\s+that|so|otherwise|that)\b|(?:that\s+)?you(?:'re|\s+are)\s+(?:offended|upset\s+by\s+(?:this|our|my))|(?:if|that)\s+(?:this|that|it)\s+(?:offended|upset|bothered))",
    FLAGS,
)
BOILERPLATE_AFTER = re.compile(
    r"\s*(?:for|about)\s+(?:any|the|this|all\s+the|any\s+and\s+all)\s+(?:inconvenience|trouble|issues?|problems?|confusion|disruption|frustration|delay|wait)",
    FLAGS,
)
SELF_APOLOGY_AFTER = re.compile(
    r"\s*,?\s*(?:to\s+(?:bother|interrupt|say)|for\s+(?:asking|bothering|(?:my|the|bad|any)\s+(?:bad\s+)?(?:english|late|delayed|typos?|grammar|spelling|formatting|rant)|the\s+(?:late|slow)\s+reply|rambling|the\s+long\s+(?:post|message|reply))|but\b|,?\s*(?:i|we)\s+(?:can'?t|cannot|don'?t|am\s+unable|are\s+unable))",
    FLAGS,
)

# A dismissive turn after an acknowledgement ("I understand. However, ...").
TURN = re.compile(
    r"\s*[,.;:!]?\s*(?:-\s*)?(?P<turn>however|but|although|though|that\s+said|having\s+said\s+that|nevertheless|nonetheless|unfortunately|still)\b",
    FLAGS,
)
DISMISSIVE_CONTENT = re.compile(
    r"\b(?:polic(?:y|ies)|rules?|nothing\s+(?:we|i|anyone)\s+can|(?:we|i)\s+(?:can'?t|cannot|are\s+unable|am\s+unable|won'?t)|not\s+(?:possible|our\s+(?:fault|problem|responsibility)|my\s+(?:fault|problem|responsibility))|that'?s\s+(?:just\s+)?(?:how|the\s+way)|no\s+exceptions|you\s+(?:should|need|have|must|were\s+supposed)|as\s+(?:stated|mentioned|explained)|terms\s+(?:and|of)|out\s+of\s+our\s+(?:hands|control)|there'?s\s+nothing)",
    FLAGS,
)
BARE_ACK_LABELS = frozenset({"bare_acknowledgement", "empathic_interjection"})

# ---------------------------------------------------------------- reflection
REFLECTION = _family(
    [
        (
            "restatement_phrase",
            2,
            r"(?:so\s+)?what\s+i(?:'m|\s+am)?\s+hear(?:ing)?\s+(?:you\s+)?(?:say|is)|(?:let\s+me|just\s+to|i\s+(?:want|'d\s+like|would\s+like)\s+to)\s+(?:make\s+sure|check|confirm|clarify|be\s+sure)\s+(?:that\s+)?(?:i|we)(?:'ve|\s+have)?\s+(?:understand|understood|got|get|have)|if\s+i\s+(?:understand|understood|read|hear)\s+(?:you\s+|this\s+|that\s+)?(?:correctly|right)|if\s+i(?:'ve|\s+have)\s+(?:got|understood|read)\s+(?:this|that|it|you)\s+(?:right|correctly)|so,?\s+(?:what\s+)?you(?:'re|\s+are)\s+(?:saying|telling\s+me)|in\s+other\s+words|to\s+(?:sum|recap|summari[sz]e)|(?:it\s+)?(?:sounds|seems|looks)\s+(?:like|as\s+(?:if|though)|to\s+me\s+like)\s+(?:you|your|things|the|this|there)|it\s+seems\s+(?:that\s+)?(?:you|your)|you\s+(?:seem|sound)\s+(?:to|like|really|so|very|quite|pretty)|(?:as\s+)?you\s+(?:mentioned|said|described|explained|pointed\s+out|noted|wrote)|you(?:'ve|\s+have)\s+(?:told|explained|described|mentioned)|from\s+what\s+you(?:'ve|\s+have)?\s+(?:said|described|written|told|shared)|(?:i|we)\s+(?:can\s+)?(?:see|understand|gather|hear)\s+(?:that\s+)?(?:you|your)(?:'ve|\s+have|'re|\s+are|\s+were|\s+had)",
        ),
        (
            "restatement_phrase",
            2,
            r"(?:it|that|this)\s+(?:sounds?|seems?|looks?)\s+(?:like|as\s+(?:if|though)|that)\s+(?!(?:an?\s+)?(?:really\s+)?(?:great|good|fantastic|wonderful|smart|fun|nice|lovely|excellent|brilliant|plan|idea|bug|problem\s+(?:with|on)\s+our))(?:\w+\s+){0,6}?(?:you|your|you'?re|you'?ve)\b|i\s+can\s+(?:tell|sense|see)\s+(?:that\s+)?(?:this|that|it|you|your)|i(?:'m|\s+am)\s+(?:sensing|hearing|getting\s+the\s+sense)|i\s+(?:get|have)\s+the\s+(?:sense|feeling|impression)\s+that|(?:from|by)\s+my\s+understanding|my\s+understanding\s+is|you\s+(?:seem|sound)\s+as\s+(?:if|though)|i\s+hear\s+you\s+say(?:ing)?\b|(?:is|was)\s+that\s+what\s+you(?:'re|\s+are|\s+were|\s+mean|\s+meant)|are\s+you\s+saying\b|so\s+to\s+clarify\b|if\s+i\s+understand\s+(?:you\s+)?(?:correctly|right)|i\s+(?:can\s+)?(?:feel|sense)\s+(?:that\s+)?you(?:'re|\s+are|\s+have|\s+really|\s+must|'ve)|you(?:'ve|\s+have|'re|\s+are)?\s+probably\s+(?:been|become|feel\w*|felt)\b",
        ),
        (
            "feeling_inference",
            2,
            r"you\s+(?:must|might|may|probably|likely)\s+(?:be\s+|have\s+been\s+|feel\s+|be\s+feeling\s+)"
            + INTENS
            + r"(?:an?\s+)?"
            + NEG
            + r"\b|you(?:'re|\s+are|\s+were|\s+feel|\s+felt|'ve\s+been|\s+have\s+been)\s+(?:probably\s+|clearly\s+|understandably\s+|really\s+|feeling\s+)?"
            + INTENS
            + NEG
            + r"\b|(?:i|we)\s+(?:can\s+|completely\s+|totally\s+|fully\s+)?(?:understand|see|know|get|imagine|appreciate)\s+(?:how|why|what)\s+(?:\w+\s+){0,3}?(?:"
            + NEG
            + r"|you)\b|must\s+(?:be|have\s+been|feel)\s+"
            + INTENS
            + r"(?:an?\s+)?"
            + NEG
            + r"\b|makes?\s+(?:total\s+|complete\s+|perfect\s+)?sense\s+(?:that\s+)?you|(?:i\s+know|it'?s)\s+(?:really\s+|so\s+)?(?:hard|difficult|tough)\s+(?:when|to)",
        ),
        (
            "understanding",
            1,
            r"i\s+(?:(?:totally|completely|fully|really|can|do|definitely|certainly|truly|absolutely)\s+){0,2}(?:understand|know|get|see|realize|realise|appreciate)\s+(?:that\s+)?(?:your|you(?:'re|'ve|\s+are|\s+have|\s+were|\s+had|\s+need|\s+want|\s+can'?t|\s+didn'?t))|i\s+(?:totally\s+|completely\s+)?(?:understand|know|get)\s+(?:the|that|this)\s+(?:feeling|struggle|frustration|situation|problem|issue)|i\s+know\s+(?:exactly\s+)?(?:how|what)\s+(?:you|it|that|this)|i\s+feel\s+(?:you|ya)\b|i\s+can\s+relate|i\s+understand\b",
        ),
        (
            "shared_experience",
            2,
            r"i(?:'ve|\s+have)\s+been\s+there|been\s+there\b|me\s+too\b|same\s+(?:here|thing|with\s+me|for\s+me|boat|situation|problem|issue)|happened\s+to\s+me|i\s+(?:also|too)\s+(?:have|had|was|am|feel|felt|get|got|struggle|used)|i\s+feel\s+(?:the\s+same|the\s+exact|like|this|that\s+way|it|so)|i\s+felt\s+(?:the\s+same|like|that|this)|i(?:'ve|\s+have)\s+(?:had|been\s+through|gone\s+through|experienced|dealt\s+with|struggled|suffered|felt|lost|been\s+(?:in|on|dealing|struggling|feeling|going|having|suffering|diagnosed))|i\s+(?:had|went\s+through|experienced|dealt\s+with|struggled|suffered|used\s+to|lost|was\s+(?:in|on|diagnosed|going|dealing|struggling|feeling|having|the\s+same|also|there|a\s+\w+\s+(?:who|and))|get\s+(?:this|that|the\s+same)|do\s+(?:this|that|the\s+same)|have\s+(?:the\s+same|a\s+similar|similar|this|that|been|had|no|a\s+lot))|in\s+my\s+(?:own\s+)?experience|for\s+me\s*,|(?:when|after|before|since)\s+i\s+(?:was|had|got|started|stopped|lost|went|moved|first)|i(?:'m|\s+am)\s+(?:also|in\s+the\s+same|going\s+through|dealing\s+with|struggling|in\s+a\s+(?:similar|bad|similar)|the\s+same)|my\s+(?:own\s+)?(?:experience|story|situation|therapist|doctor|mom|mum|dad|parents|family|depression|anxiety|friend(?!\s*(?:[,.!?:;)]|$))|wife|husband|ex)\b",
        ),
        # A bare "Same." / "Relatable!" / "This is me." answering the customer's account.
        (
            "shared_experience",
            2,
            r"(?<![a-z]\s)(?:same|(?:so\s+|very\s+)?relatable|this\s+is\s+(?:so\s+|literally\s+)?me)(?=\s*(?:[.!,:;]|$))",
        ),
        (
            "normalising",
            1,
            r"(?:can|must|could|would)\s+(?:be|feel|get)\s+(?:even\s+)?"
            + INTENS
            + r"(?:an?\s+)?(?:real\s+)?(?:"
            + NEG
            + r"|challenge|lot\s+to\s+(?:process|handle|deal\s+with|take\s+in))\b",
        ),
        # Naming the customer's feeling ("that must be so frustrating") reflects it too.
        ("feeling_named", 1, SUBJ_IT + r"\s+(?:like\s+)?" + INTENS + r"(?:an?\s+)?" + NEG + r"\b"),
        # "You sound exhausted", "you seem really down": the feeling read from their words.
        (
            "feeling_inference",
            2,
            r"you\s+(?:seem|sound|look)\s+(?:\w+\s+)?" + INTENS + r"(?:an?\s+)?" + NEG + r"\b",
        ),
        # "So you feel trapped", "So you're still waiting": a restatement opening with "so you".
        (
            "restatement_phrase",
            1,
            r"(?<![a-z]\s)(?<![a-z])so,?\s+you(?:'re|\s+are|'ve|\s+have|\s+feel|\s+felt|\s+were|\s+had|\s+think|\s+still|\s+mean|\s+want|\s+don'?t|\s+didn'?t|\s+haven'?t)\b|if\s+i\s+(?:get|got)\s+you\b",
        ),
        # "I can understand that", "I can totally understand": understanding without "your".
        (
            "understanding",
            1,
            r"i\s+(?:can\s+|do\s+)(?:(?:totally|completely|fully|really|definitely|certainly|truly)\s+)?(?:understand|relate)\b",
        ),
        (
            "check_understanding",
            1,
            r"(?:is\s+that|was\s+that|did\s+i\s+get\s+(?:that|this|it))\s+(?:correct|right|accurate)\s*\?|(?:have\s+i|did\s+i)\s+(?:got|get|understood|understand)\s+(?:that|this|it|you)\s+(?:right|correctly)",
        ),
    ],
    "reflection",
)

# ---------------------------------------------------------------- listening
# Discourse openers that may precede the real start of a question.
_LEAD = r"^(?:(?:so|and|but|also|well|ok(?:ay)?|hey|hi|oh|then|now|just|btw|yeah|yes|no|hmm+|ah|first|firstly|secondly|lastly|finally|out\s+of\s+curiosity|if\s+you\s+don'?t\s+mind(?:\s+me\s+asking)?|may\s+i\s+ask|can\s+i\s+ask|could\s+i\s+ask|i\s+was\s+wondering|i'?m\s+wondering|quick\s+question|one\s+more\s+thing|in\s+the\s+meantime|meanwhile)[,:\s]+){0,3}"
WH_START = re.compile(
    _LEAD
    # "In what way...?", "For how long...?": a preposition can lead the wh-word.
    + r"(?:(?:in|on|at|for|with|about|from|to|since|by)\s+)?(?:what|what'?s|whats|how|how'?s|hows|why|which|who|whose|whom)\b"
    # "When you're alone, ..." opens a clause, not a question.
    + r"|"
    + _LEAD
    + r"(?:when|where)\b(?!\s+(?:you|you'?re|i|i'?m|we|they|he|she)\b)",
    FLAGS,
)
# Wh-questions about the course of the customer's situation: open whoever they name.
SITUATION_QUESTION = re.compile(
    _LEAD
    + r"(?:how\s+(?:long|often|many|much|far|bad|old)|when\s+(?:did|was|were|does|do|is)|since\s+when|what\s+(?:happened|happens|(?:has|had)\s+happened|seems|went|is\s+wrong|'s\s+wrong|is\s+going\s+on|'s\s+going\s+on|exactly|caused|made|changed))\b",
    FLAGS,
)
AUX_START = re.compile(
    _LEAD
    + r"(?P<aux>do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|may|might|am|any|anything|anyone|don'?t|doesn'?t|didn'?t|aren'?t|isn'?t|haven'?t|hasn'?t|wasn'?t|weren'?t|wanna|want|got|would\s+you|r)\b",
    FLAGS,
)
OPEN_INVITE = re.compile(
    r"\b(?:(?:could|can|would|will)\s+you\s+(?:please\s+)?(?:tell|describe|explain|share|walk\s+me|talk|let\s+me\s+know|give\s+me\s+(?:more|a\s+bit|some)|say\s+(?:more|a\s+bit)|elaborate|clarify|expand)|tell\s+(?:me|us)\s+(?:more|about|what|how|a\s+bit|a\s+little|why|when|where|exactly)|(?:i'?d|i\s+would)\s+(?:like|love)\s+to\s+(?:hear|know|understand|learn)\s+(?:more|what|how|about|why|a\s+bit)|(?:i'?m|i\s+am)\s+(?:curious|wondering)\s+(?:about|what|how|why|if|whether)|mind\s+(?:sharing|telling|explaining)|care\s+to\s+(?:share|elaborate|talk|explain)|help\s+me\s+understand|say\s+more\s+about|walk\s+me\s+through|(?:wanted|want|like|have)\s+to\s+ask\s+(?:you\s+)?(?:how|what|why|when|where|which|who|if|whether|about)|if\s+(?:i|you\s+don'?t\s+mind\s+me)\s+(?:may\s+|might\s+|can\s+)?ask(?:ing)?\b)",
    FLAGS,
)
# Troubleshooting steps phrased as questions ("Did you restart it?"): procedure, not listening.
TROUBLESHOOT = r"(?:restart\w*|reboot\w*|clear\w*|updat\w*|install\w*|reinstall\w*|reset\w*|log\w*\s+(?:in|out|on|off)|sign\w*\s+(?:in|out)|turn\w*\s+(?:it|the|your)|switch\w*\s+(?:it|the|your)|unplug\w*|plug\w*|click\w*|enter\w*|sav\w*|enabl\w*|disabl\w*|refresh\w*|re-?try\w*|upgrad\w*|power\s+cycl\w*|empty\w*|delet\w*|uninstall\w*|download\w*|check\w*\s+(?:the|your)\s+(?:settings|cache|spam|junk|connection|cables?|router|inbox|email|app|browser|version|firmware))"
PROCEDURAL = re.compile(
    r"\b(?:(?:have|did|do|could|can|would)\s+you\s+(?:already\s+|ever\s+|also\s+|please\s+)?(?:tried\s+|try\s+|tried\s+to\s+|try\s+to\s+)?"
    + TROUBLESHOOT
    + r"|did\s+you\s+(?:receive|get)\s+(?:the|our|my|an?)\s+(?:email|e-mail|message|link|code|text|sms|confirmation)|do\s+you\s+(?:have|still\s+have)\s+(?:the|your|an?)\s+(?:order|account|ticket|reference|tracking|invoice|receipt)\s*(?:number|id)?|(?:can|could)\s+you\s+(?:please\s+)?(?:confirm|send|provide|attach|forward)|is\s+it\s+(?:plugged|switched|turned)|what\s+(?:is|'s)\s+your\s+(?:order|account|ticket|reference|tracking|email|phone)\s*(?:number|id|address)?)",
    FLAGS,
)
# Advice phrased as a question ("Have you considered talking to HR?"): a weak, closed question.
SUGGESTION_QUESTION = re.compile(
    r"\b(?:have\s+you\s+(?:ever\s+)?(?:tried|thought\s+about|thought\s+of|considered|looked\s+into|sat\s+down|heard\s+of)|how\s+about|what\s+about\s+(?:trying|doing|going|talking|getting)|why\s+(?:don'?t|not)\b|maybe\s+(?:try|you\s+(?:could|should))|(?:could|would|can)\s+you\s+(?:consider|be\s+willing|be\s+open|try|talk\s+to|speak\s+to|reach\s+out)|would\s+(?:it|that)\s+(?:help|be\s+possible)|do\s+you\s+think\s+(?:it\s+would|you\s+(?:could|can|should|might))|is\s+there\s+(?:possibly\s+|maybe\s+)?(?:anyone|someone|somebody|a\s+\w+|any\s+\w+|anything|something)\s+(?:\w+\s+){0,3}?(?:you|that\s+you|who)\s+(?:could|can|might)\s+(?:talk|speak|reach|turn|seek|ask|call|try|do|go))",
    FLAGS,
)
SELF_QUESTION = re.compile(
    r"^(?:(?:so|and|but|also|well|then|now|like)[,\s]+){0,2}(?:(?:why|how|what|where|when|who)\s+(?:do|did|can|could|should|would|am|was|will|is)\s+(?:i|we)\b(?!\s+(?:help|do\s+(?:to\s+help|for\s+you)|assist|make\s+(?:this|it|things)\s+(?:right|better)))|(?:am|do|did|can|could|should|would|will|was|have)\s+i\b(?!\s+(?:ask|help|check|confirm|just\s+(?:ask|check|confirm))))",
    FLAGS,
)
TAG_QUESTION = re.compile(
    r"(?:\b(?:you\s+know|y'?know|ya\s+know|right|isn'?t\s+it|aren'?t\s+(?:they|we|you)|don'?t\s+you\s+think|doesn'?t\s+it|(?:if\s+(?:that|it)\s+)?makes?\s+sense|guess\s+what|who\s+knows|who\s+cares|what\s+gives|innit|eh|huh|lol|haha|no|ok(?:ay)?|yeah|ha)\s*[?!.]*$)",
    FLAGS,
)
GREETING_QUESTION = re.compile(
    r"^(?:(?:hi|hello|hey)[,\s]+)?(?:how\s+are\s+you(?:\s+(?:doing|today))?|how'?s\s+it\s+going|what'?s\s+up|how\s+have\s+you\s+been|sup)\s*[?!.]*$",
    FLAGS,
)
OFFER_TO_TALK = re.compile(
    r"\b(?:(?:want|wanna|care|need|like)\s+(?:someone\s+|somebody\s+|me\s+)?to\s+(?:talk|chat|vent)|(?:want|wanna)\s+(?:to\s+)?talk|anything\s+(?:in\s+particular\s+)?you\s+(?:want|'?d\s+like|would\s+like)\s+to\s+(?:talk|share|vent))\b",
    FLAGS,
)
RHETORICAL = re.compile(
    r"\b(?:why\s+would\s+any|who\s+(?:knows|cares|would|wouldn'?t)|how\s+dare|what'?s\s+the\s+point|why\s+bother|how\s+(?:can|could|would)\s+(?:anyone|anybody|someone|one)|what\s+(?:else\s+)?(?:can|could)\s+you\s+(?:do|expect)|why\s+did\s+the\s+chicken)",
    FLAGS,
)
WH_ANY = re.compile(
    r"\b(?:what|what'?s|whats|how|how'?s|hows|why|when|where|which|who|whose)\b", FLAGS
)
WH_INVERTED = re.compile(
    r"^(?:what|how|why|when|where|which|who)\b(?:\s+\w+){0,4}?\s+(?:do|did|does|have|has|are|is|was|were|can|could|would|will)\s+you\b",
    FLAGS,
)
FIRST_PERSON = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|my|me|myself|we|our|us)\b", FLAGS)
CHECK_UNDERSTANDING = re.compile(
    r"\b(?:is\s+(?:this|that)|was\s+(?:this|that)|did\s+i\s+get\s+(?:that|this|it)|am\s+i)\s+(?:correct|right|accurate|understanding)|(?:have\s+i|did\s+i)\s+(?:got|get|understood|understand)\s+(?:that|this|it|you)|to\s+make\s+sure\s+i\s+understand",
    FLAGS,
)
NO_MARK_QUESTION = re.compile(
    r"^(?:(?:so|and|but|ok(?:ay)?|hi|hello|hey|well)[,\s]+){0,2}(?:(?:do|did|does|are|were|have|had|can|could|would|will|is|was|don'?t|didn'?t|aren'?t|isn'?t|haven'?t)\s+(?:you|u|there|anyone|he|she|they)|(?:is|was|does|did|has|are|were|isn'?t|wasn'?t|doesn'?t)\s+(?:it|your|things)|any\s+idea|anything\s+(?:else\s+)?(?:you|i)|(?:how|what|why|when|where)\s+(?:was|is|are|were|did|do|does|have|has)\s+(?:you|your))\b",
    FLAGS,
)
REFLECTIVE_VERB = re.compile(
    r"\b(?:feel\w*|felt|think|thought|seem\w*|sound\w*|mean|saying|worried|afraid|scared)\b", FLAGS
)
GENERIC_HELP_QUESTION = re.compile(
    r"\b(?:how|what)\s+(?:can|could|may)\s+(?:i|we)\s+(?:help|do|assist)|anything\s+(?:else\s+)?(?:i|we)\s+can\s+(?:help|do)",
    FLAGS,
)
YOU = re.compile(r"\b(?:you|your|you'?re|you'?ve|you'?d|you'?ll|yours|yourself|u|ur)\b", FLAGS)
DECLARATIVE_YOU_START = re.compile(
    r"^(?:(?:so|and|oh|ah|wait|hmm)[,\s]+){0,2}(?:you|your|you'?re|you'?ve|you\s+have|you\s+are)\b",
    FLAGS,
)

# First-person experience ("I used to dread Mondays too"): EPITOME counts sharing a
# comparable experience as an interpretation. Agent actions ("I've refunded ...")
# are excluded by SERVICE_ACTION so routine support narration does not count.
SELF_DISCLOSURE = re.compile(
    r"(?:^|[,;:]\s*|\b(?:and|but|so|because|cause|cuz|when|though|although|yeah|yes|honestly|sometimes|personally|lol|same|too|also|now|then|even)\s+)(?:i|me)(?:'m(?!\s+(?:(?:so|really|very|truly|sincerely|just|also|always|not)\s+)?(?:sorry|glad|happy|sure|here|around|available|going\s+to|gonna|afraid\s+(?:i|that)|curious|wondering|rooting|telling|with\s+you|not\s+sure))|'ve|\s+am(?!\s+(?:(?:so|really|very|truly|sincerely|just|also|always|not)\s+)?(?:sorry|glad|happy|sure|here|around|available|going\s+to|gonna|afraid\s+(?:i|that)|curious|wondering|rooting|telling|with\s+you|not\s+sure))|\s+was|\s+have|\s+had|\s+used\s+to|\s+feel|\s+felt|\s+get|\s+got|\s+go|\s+went|\s+lost|\s+struggle\w*|\s+suffer\w*|\s+dealt|\s+deal|\s+hate|\s+love|\s+can'?t|\s+couldn'?t|\s+don'?t(?!\s+(?:think|know|believe|mean|hate|want\s+you|blame|understand))|\s+didn'?t|\s+wish(?!\s+(?:you|u|there|i\s+could))|\s+remember|\s+spent|\s+spend|\s+tried|\s+usually|\s+always|\s+never|\s+also|\s+too|\s+still|\s+really|\s+quit|\s+started|\s+stopped|\s+find|\s+found|\s+do\b|\s+did\b|\s+sleep|\s+cry|\s+cried|\s+gained|\s+lose|\s+live|\s+lived|\s+grew|\s+moved|\s+count|\s+rarely|\s+sometimes|\s+kind\s+of|\s+kinda|\s+myself|\s+recently|\s+am\s+also|\s+know\s+(?:that|how|what|the)\s+feel)\b",
    FLAGS,
)
SERVICE_ACTION = re.compile(
    r"\b(?:refund\w*|orders?|account|ticket|colleague|escalat\w*|process\w*|checked\s+(?:your|with|the|on)|look(?:ed)?\s+into|sent|send|emailed|update[ds]?|confirm\w*|arrang\w*|replac\w*|able\s+to|warehouse|courier|system|records|invoice|payment|subscription|deliver\w*|shipment|parcel|package|technician|engineer|reset|credit\w*|i'?ll|i\s+will|i\s+can\s+(?:help|see|confirm|assure|offer))\b",
    FLAGS,
)
SIMILARITY = re.compile(
    r"\b(?:same|similar|too|also|either|as\s+well|like\s+you|like\s+that|like\s+this|relate|been\s+there|know\s+the\s+feeling)\b",
    FLAGS,
)
SUBORDINATE_BEFORE = re.compile(
    r"\b(?:if|when|whenever|until|unless|because|cause|whether|while|what|which|that|as\s+long\s+as|even\s+though|once|since)\s+(?:\w+\s+){0,1}$"
)
ADVICE = re.compile(
    r"\b(?:should|shouldn'?t|could\s+try|try\s+to|try\s+(?!to\b)\w+ing|maybe\s+you|need\s+to|have\s+to|has\s+to|must\s+(?!be|have\s+been|feel)|recommend|suggest|make\s+sure\s+you|don'?t\s+(?:let|give|be|forget))\b"
)

# Sentences that reuse the customer's words without restating them: conditions ("if
# you..."), possibilities and advice ("you could", "you'll", "give yourself"), wishes and
# general statements ("everyone", "people"). Used only to veto a word-overlap paraphrase.
NOT_RESTATING = re.compile(
    r"(?:^|[,;]\s*)(?:if|even\s+if|unless|whether)\b|\b(?:you\s+(?:can|could|will|would|might|may|gotta|got\s+to|only)|you'(?:ll|d)|(?:give|let|allow|remember|think\s+of|look\s+at)\s+(?:yourself|it|that|this|your)|i\s+hope|hopefully|i\s+promise|everyone|everybody|people\s+(?:are|who|can|will|do|don'?t))\b|\?",
)


# Sentence-level cues found in the same token pass as the phrase families; the
# detectors then ask "does this sentence contain a <cue>?" without re-scanning it.
CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("open_invite", OPEN_INVITE),
    ("offer_to_talk", OFFER_TO_TALK),
    ("advice", ADVICE),
    ("procedural", PROCEDURAL),
    ("you", YOU),
    ("suggestion_question", SUGGESTION_QUESTION),
    ("rhetorical", RHETORICAL),
    ("check_understanding", CHECK_UNDERSTANDING),
    ("generic_help", GENERIC_HELP_QUESTION),
    ("service_action", SERVICE_ACTION),
    ("similarity", SIMILARITY),
    ("first_person", FIRST_PERSON),
    ("wh_any", WH_ANY),
    ("reflective_verb", REFLECTIVE_VERB),
)
