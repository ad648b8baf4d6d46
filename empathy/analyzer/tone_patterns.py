"""Tone (word choice) patterns: penalties and credits.

Weights are in "tone points": a penalty subtracts its weight, a credit adds it.
See :mod:`empathy.analyzer.scoring` for how points become a level.
"""

from __future__ import annotations

import re

from empathy.analyzer.dispatch import Dispatcher
from empathy.analyzer.lexicon import JARGON
from empathy.analyzer.patterns import CUES, FLAGS, REFLECTION, VALIDATION, Family, _family

TONE_NEGATIVE = _family(
    [
        (
            "blame",
            1.0,
            r"you\s+should(?:'ve|\s+have)\s+(?!received|got|gotten|been\s+(?:sent|given|told|refunded|informed|contacted))|as\s+(?:i|we)(?:'ve|\s+have)?\s+(?:already\s+|previously\s+|clearly\s+)?(?:said|stated|mentioned|explained|told\s+you|pointed\s+out)|as\s+(?:already\s+|previously\s+|clearly\s+)?(?:stated|mentioned|explained)\s+(?:before|previously|above|earlier|in\s+my)|like\s+i\s+(?:said|told\s+you)|you\s+(?:failed|neglected|forgot)\s+to|(?:that'?s|it'?s|this\s+is)\s+(?:entirely\s+|completely\s+)?your\s+(?:own\s+)?(?:fault|responsibility|problem|mistake)|you\s+were\s+supposed\s+to|if\s+you\s+had\s+(?:read|followed|checked|listened)|did\s+you\s+even|you\s+(?:clearly|obviously)\s+(?:didn'?t|did\s+not|haven'?t)|you\s+need\s+to\s+(?:read|pay\s+attention|learn)|user\s+error|(?:please\s+)?(?:read|re-?read|refer\s+to)\s+(?:the|our)\s+(?:faq|manual|documentation|instructions|terms)\s+(?:again|carefully|first|before)",
        ),
        (
            "dismissive",
            1.0,
            r"calm\s+down|(?:please\s+)?relax\b|it'?s\s+not\s+(?:a\s+big\s+deal|that\s+(?:hard|difficult|complicated|bad))|no\s+big\s+deal|(?:you'?re|you\s+are)\s+(?:over-?reacting|being\s+(?:unreasonable|dramatic|rude))|deal\s+with\s+it|get\s+over\s+it|it\s+is\s+what\s+it\s+is|that'?s\s+(?:just\s+)?(?:how|the\s+way)\s+(?:it\s+(?:is|works)|things\s+are)|there'?s\s+nothing\s+(?:we|i)\s+can\s+do|nothing\s+(?:more\s+)?(?:we|i)\s+can\s+do|not\s+(?:our|my)\s+(?:problem|fault|responsibility|concern)|that'?s\s+(?:our|the|company)\s+policy|(?:it'?s|that'?s|this\s+is)\s+(?:against\s+)?(?:company\s+|our\s+)?policy|whatever\b|no\s+offen[cs]e\s+but|with\s+all\s+due\s+respect|(?:i'?m|we'?re)\s+not\s+going\s+to\s+argue|take\s+it\s+or\s+leave\s+it|(?:it'?s|that'?s)\s+(?:really\s+)?(?:easy|simple|trivial)\b|(?:any|every)one\s+(?:can|could|knows)",
        ),
        # Minimising adverbs: small penalty each ("just click", "simply", "obviously").
        (
            "minimising_word",
            0.5,
            r"(?<!\bi\s)(?<!\bwe\s)just\b(?!\s+(?:to\s+(?:confirm|check|make|let|clarify|follow|update|say)|wanted|want|checking|letting|following|a\s+(?:quick|heads|note|reminder)|in\s+case|now|received|got|sent|heard|spoke))|simply\b|obviously\b|clearly\s+(?:stated|states|says|written|explained|mentioned|you)",
        ),
        (
            "robotic_boilerplate",
            1.0,
            r"(?:we|i)\s+(?:sincerely\s+)?apologi[sz]e\s+for\s+any\s+(?:inconvenience|trouble|issues?)|(?:this|that|it|which)\s+may\s+have\s+caused|your\s+(?:call|business|satisfaction|feedback|custom|patience)\s+is\s+(?:very\s+|extremely\s+)?(?:important|valuable|valued)\s+to\s+us|we\s+value\s+your\s+(?:business|custom|feedback|patronage)|thank\s+you\s+for\s+your\s+patience\s+and\s+understanding|(?:please\s+)?do\s+not\s+hesitate\s+to\s+contact|we\s+regret\s+to\s+inform|kindly\s+be\s+(?:informed|advised)|please\s+be\s+advised|(?:dear\s+)?valued\s+customer|dear\s+(?:sir|madam|customer|user|client)|this\s+is\s+an\s+automated|your\s+(?:request|ticket|case|query|inquiry|enquiry)\s+has\s+been\s+(?:received|logged|noted|forwarded|escalated)|for\s+any\s+(?:further|other|additional)\s+(?:queries|questions|assistance|concerns),?\s+please|we\s+strive\s+to\s+provide|thank\s+you\s+for\s+(?:contacting|reaching\s+out\s+to)\s+(?:us|our|customer)",
        ),
        (
            "sarcasm",
            1.0,
            r"(?:thanks|thank\s+you)\s+for\s+your\s+(?:patience|understanding)\s*[.!]*\s*(?:as\s+always|again)\s*[.!]|good\s+luck\s+with\s+that|nice\s+try|sure\s+you\s+did",
        ),
        ("jargon", 0.5, "(?:" + "|".join(JARGON) + r")\b"),
    ],
    "tone",
    "-",
)

TONE_POSITIVE: Family = _family(
    [
        (
            "ownership",
            1.0,
            r"(?:i'?ll|i\s+will|i'?m\s+going\s+to|i\s+am\s+going\s+to|let\s+me|i'?ve|i\s+have)\s+(?:personally\s+|now\s+|already\s+|just\s+|gone\s+ahead\s+and\s+|go\s+ahead\s+and\s+|also\s+)?(?:make\s+sure|ensure|look\s+into|take\s+care|follow\s+up|check|sort|fix|get\s+(?:this|that|it|you|back)|keep\s+(?:you|an\s+eye)|update\s+you|contact|escalate|escalated|chase|handle|call|email|send|sent|refund|refunded|issue|issued|process|processed|credit|credited|reset|arrange|arranged|book|booked|investigate|flag|flagged|raise|raised|look\s+at|find\s+out|personally|own\s+this|stay\s+on|be\s+in\s+touch|reach\s+out|replace|replaced|reship|expedite|expedited|waive|waived|cancel|cancelled|canceled|correct|corrected|update|updated|add|added|fixed|sorted|resolved)\b|(?:i'?m|i\s+am)\s+(?:on\s+it|looking\s+into|taking\s+care|working\s+on|personally)|i'?ll\s+be\s+(?:your|the)\s+(?:point|contact)",
        ),
        (
            "next_steps",
            1.0,
            r"next\s+steps?|here'?s\s+what\s+(?:i'?ll|we'?ll|will|happens|to\s+expect|i'?m\s+going)|(?:within|in\s+the\s+next|in)\s+(?:\d+|one|two|three|24|48|72)\s+(?:hours?|days?|business\s+days?|working\s+days?|minutes?|weeks?)|by\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|end\s+of\s+(?:day|the\s+day|the\s+week)|noon)|you'?ll\s+(?:receive|get|see|hear)|you\s+will\s+(?:receive|get|see|hear)|(?:i'?ll|we'?ll|i\s+will|we\s+will)\s+(?:update|email|call|contact|notify|let)\s+you|once\s+(?:that'?s|this\s+is|it'?s|it\s+is)\s+(?:done|complete|processed|through)|(?:the\s+)?(?:first|second)\s+step",
        ),
        (
            "thanks_for_sharing",
            0.5,
            r"thank(?:s|\s+you)\s+(?:so\s+much\s+)?for\s+(?:letting\s+(?:me|us)\s+know|flagging|bringing|explaining|sharing|your\s+patience|telling|the\s+details|taking\s+the\s+time)",
        ),
    ],
    "tone",
    "+",
)

# Personal address needs case: "Hi Maria," / "Thanks, Tom". Names are capitalised words.
PERSONAL_ADDRESS = re.compile(
    r"\b(?:[Hh]i|[Hh]ello|[Hh]ey|[Dd]ear|[Gg]ood\s+(?:morning|afternoon|evening)|[Tt]hanks|[Tt]hank\s+you)[,\s]+(?!Sir\b|Madam\b|Customer\b|Team\b|There\b|All\b|Everyone\b|So\b|For\b|Again\b|Valued\b|I\b|We\b)(?P<name>[A-Z][a-z]{1,20})\b"
)
# Runs of two or more capitalised words (4+ letters somewhere) read as shouting.
SHOUT = re.compile(
    r"\b[A-Z]{2,}(?:['-][A-Z]+)?(?:[\s,]+[A-Z]{2,}(?:['-][A-Z]+)?){1,30}\b|\b[A-Z]{6,}\b"
)
EXCLAIM = re.compile(r"!{2,}|(?:\?!|!\?)+[!?]*")

__all__ = [
    "ALL_FAMILIES",
    "EXCLAIM",
    "FLAGS",
    "PERSONAL_ADDRESS",
    "SHOUT",
    "TONE_NEGATIVE",
    "TONE_POSITIVE",
]

# All phrase families and sentence cues in one dispatcher: one token pass per reply.
# Family entries are keyed by their Entry, cues by their name (a str).
ALL_FAMILIES = Dispatcher(
    [
        *(
            (e, e.regex)
            for f in (VALIDATION, REFLECTION, TONE_NEGATIVE, TONE_POSITIVE)
            for e in f.entries
        ),
        *CUES,
    ]
)
