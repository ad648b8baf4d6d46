"""Explained priority score (0-100) for the agent queue (pure Python, deterministic).

The queue is ordered by :func:`compute_priority`; every ticket carries the
:class:`Reason` list that explains its place. Points are integers and **always add
up to the score**: each component is rounded on its own and the component caps
sum to exactly 100, so no clamp is ever needed.

Weights
-------
============  =====  ==============================================================
component     max    formula
============  =====  ==============================================================
urgency        30    low 0, normal 10, high 20, urgent 30
impact         20    strongest category (security 20, outage 18, data loss 16,
                     login 12, payment 12) + 3 per further category, capped at 20
frustration    20    round(20 * f), f = noisy-OR of text signals and repeat contacts
tier           10    standard 0, premium 5, vip 10
SLA            15    round(15 * 60 / (60 + m)) for m minutes to breach; 15 once
                     breached; 0 when no SLA clock runs
waiting         5    round(5 * min(1, waited_minutes / 1440))
============  =====  ==============================================================

Frustration ``f`` combines independent signals with a noisy-OR,
``f = 1 - prod(1 - w_i)``, so more evidence never lowers it and it stays below 1:
anger words 0.25 each, threats ("cancel my subscription", "lawyer") 0.35 each,
profanity 0.3 once, repeat-contact phrases ("third time", "still not fixed") 0.3
each, shouting 0.3 (0.4 when most words are capitals), runs of "!!"/"?!" 0.1 each
up to 0.25, and ``min(0.6, 0.2 * repeat_contacts)`` for other tickets about the same
issue. Anger and impact phrases preceded by a negation in the same clause ("not
angry", "no data loss") are ignored. A ticket is *challenging* when
``f >= CHALLENGING_THRESHOLD``, so the workspace can offer de-escalation guidance.

Only the first :data:`MAX_TEXT_CHARS` characters are analysed. Phrases are looked up
by their first words in one pass over ``str.split()`` words (a big case-insensitive
regex alternation costs milliseconds in CPython), so 2 KB score well under 1 ms.
Ties are left to the caller (e.g. earliest due date, then oldest ticket).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import product

CHALLENGING_THRESHOLD = 0.5
MAX_TEXT_CHARS = 10_000


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Tier(StrEnum):
    STANDARD = "standard"
    PREMIUM = "premium"
    VIP = "vip"


@dataclass(frozen=True)
class Evidence:
    """A span ``text[start:end]`` of the analysed text that raised a signal."""

    label: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class FrustrationSignal:
    score: float  # 0-1
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class PriorityInputs:
    urgency: Urgency
    tier: Tier
    text: str  # subject and customer messages
    repeat_contacts: int = 0  # other recent tickets by the requester on the same topic
    minutes_to_breach: float | None = None  # None: no SLA clock; negative: breached
    waiting_minutes: float = 0.0  # how long the customer has waited for us


@dataclass(frozen=True)
class Reason:
    code: str  # stable machine code, e.g. "impact.outage"
    label: str  # short English for agents
    points: int
    detail: str


@dataclass(frozen=True)
class PriorityScore:
    score: int  # 0-100, the sum of the reasons' points
    reasons: tuple[Reason, ...]  # highest points first
    challenging: bool
    frustration: float


URGENCY_POINTS: dict[Urgency, tuple[int, str]] = {
    Urgency.LOW: (0, "Low urgency"),
    Urgency.NORMAL: (10, "Normal urgency"),
    Urgency.HIGH: (20, "Marked high urgency"),
    Urgency.URGENT: (30, "Marked urgent"),
}
TIER_POINTS: dict[Tier, tuple[int, str]] = {
    Tier.STANDARD: (0, "Standard customer"),
    Tier.PREMIUM: (5, "Premium customer"),
    Tier.VIP: (10, "VIP customer"),
}
# code -> (points, label); ordered by weight so equal points keep the most serious first.
IMPACT_CATEGORIES: dict[str, tuple[int, str]] = {
    "security": (20, "Security concern"),
    "outage": (18, "Possible outage"),
    "data_loss": (16, "Possible data loss"),
    "login": (12, "Customer cannot log in"),
    "payment": (12, "Billing problem"),
}
IMPACT_MAX, IMPACT_EXTRA_CATEGORY, FRUSTRATION_MAX, SLA_MAX, WAITING_MAX = 20, 3, 20, 15, 5
SLA_HALF_LIFE_MINUTES = 60.0  # 7-8 points with an hour left, 15 at the breach
WAITING_FULL_MINUTES = 24 * 60.0
SIGNAL_WEIGHTS = {"anger": 0.25, "threat": 0.35, "repeat": 0.3}
PROFANITY_WEIGHT, SHOUTING_WEIGHT, HEAVY_SHOUTING_WEIGHT = 0.3, 0.3, 0.4
EXCLAIM_WEIGHT, EXCLAIM_CAP, REPEAT_CONTACT_WEIGHT, REPEAT_CONTACT_CAP = 0.1, 0.25, 0.2, 0.6
SHOUTING_MIN_WORDS, SHOUTING_MIN_RATIO, SHOUTING_MIN_RUN = 3, 0.25, 3
NEGATION_WINDOW = 3  # words looked at before a match, within the same clause


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NEGATIONS = _words(
    "not no never nothing isn't isnt aren't wasn't weren't don't dont doesn't didn't"
)
# Capitalised words that are names, not shouting. Short on purpose: shouting also needs
# several capitalised words, so an unlisted acronym or two does not trigger it.
ACRONYMS = _words(
    "API URL PDF SSO VPN CSV XML HTML HTTP HTTPS JSON SQL DNS SMS USB SSL TLS SSH FAQ GDPR "
    "IBAN VAT ASAP ETA UTC CET GMT EST PST CEO CTO CFO MFA OTP PIN IMAP SMTP AWS SAML LDAP "
    "CRM ERP SDK CLI ZIP PNG JPG GIF RAM CPU EUR USD GBP IOS MAC HAR"
)

# One "category phrase" per line. ``{a,b c}`` picks one alternative, ``[a,b]`` an
# optional one (no nesting); ``<name>`` is a macro from _MACROS.
LEXICON = """
anger {ridiculous,unacceptable,angry,furious,livid,outrageous,outraged,fed up,useless}
anger {sick and tired,worst,pathetic,terrible,horrible,awful,incompetent,disgusting}
anger {shameful,appalling,absurd,is a joke,what a joke,joke of a,what the hell}
anger {disappointed,frustrated,frustrating,annoyed,annoying,infuriated,infuriating}
anger waste of [my,our] time
threat {cancel,cancelling} {my,our} {subscription,account,plan,contract}
threat {my,our} {lawyer,lawyers,attorney}
threat {legal action,sue you,report you,chargeback,switching to a competitor}
profanity {damn,damned,damnit,dammit,crap,crappy,wtf,bloody,shit,shitty,fuck,fucking,bullshit}
repeat {second,third,fourth,fifth,sixth,<nth>} time
repeat how many [more] times
repeat still {not fixed,not working,not resolved,not solved,broken,waiting,no reply,no response}
repeat still {hasn't,hasnt,has not} been {fixed,resolved}
repeat {no one,noone,nobody} [has,have] {replied,responded,answered,helped,got back}
repeat {emailed,contacted,written,wrote,called,asked,reported} [you,this,about this] \
    {multiple,several,many,so many,countless} times
repeat {again and again,keeps happening,keep happening,yet again,once again}
repeat already {told,explained,reported}
repeat {happened,happening,happens,broken,down,failed,failing,crashed,crashing,wrong} again
repeat same {issue,problem,error,bug} again
security {hacked,hacker,hackers,breach,breached,phishing,malware,ransomware,compromised}
security {vulnerability,vulnerabilities,data leak,leaked}
security {unauthorized,unauthorised} {access,login,logins,log in,user,users}
security suspicious {login,logins,log in,activity,email,emails}
security someone [else] {logged in,logged into,accessed,got into}
outage {outage,outages,offline,unreachable,nothing loads,everything is broken}
outage {is,are,was,were,went,goes,been,still,completely,totally} down
outage down {again,for everyone,for all,for us,for hours}
outage <site> [is,are] {down,unavailable,not loading,not responding}
outage {service unavailable,server error,bad gateway,nothing works,nothing is working}
outage {500 error,502 error,503 error,504 error,error 500,error 502,error 503,error 504}
data_loss lost [all] [of] {my,our,the} {data,file,files,work,documents,photos,records,history}
data_loss {got,was,were,been,accidentally,all,everything} deleted
data_loss {wiped,corrupted,corrupt,data loss}
data_loss missing {files,data,records,documents,emails,entries}
data_loss {files,data,records,documents,everything} [is,are,has,have] {gone,disappeared,vanished}
login <cant> {log in,log into,login,log on,sign in,signin,access my account}
login locked out
login account [is,was,got,has been] {locked,disabled,suspended}
login {login,password reset,2fa,mfa,sign in} {fails,failed,is failing,is broken,broken}
login {login,password reset,2fa,mfa,sign in} {not working,doesn't work,does not work}
payment charged [me] {twice,two times,2 times,multiple times,again}
payment {double charged,double charge,double billed,double payment,overcharged,refund,refunds}
payment billing {error,issue,problem,mistake}
payment wrong {amount,charge,invoice}
payment payment {failed,declined,didn't go through,did not go through}
payment {unauthorized,unauthorised} {charge,charges,payment,payments}
"""
_MACROS = {
    "<cant>": "{can't,cant,cannot,can not,couldn't,couldnt,unable to,not able to}",
    "<site>": "{site,website,service,app,server,servers,system,platform,dashboard}",
    # Inside braces only: "2nd,...,20th" adds alternatives ("1st time" is no repeat).
    "<nth>": ",".join(f"{n}{ {2: 'nd', 3: 'rd'}.get(n, 'th') }" for n in range(2, 21)),
}
_NEGATABLE = frozenset({"anger", *IMPACT_CATEGORIES})  # "not angry", "no data loss", "never hacked"
_SEGMENT = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\S+")
# Word patterns start with a charset, which CPython's ``re`` skips ahead to in C.
_CAPS_ASCII = re.compile(r"[A-Z][A-Z']{2,}\b")
_CAPS_UNICODE = re.compile(r"[^\W\d_a-z][^\W\d_a-z']{2,}\b")
_WORD_ASCII = re.compile(r"[A-Za-z][A-Za-z']{2,}")
_WORD_UNICODE = re.compile(r"[^\W\d_][^\W\d_']{2,}")
_NON_SPACE = re.compile(r"\S+")
_EXCLAIM = re.compile(r"[!?]{2,}")  # kept only when it holds a "!": "??" is puzzlement
_CLAUSE_BREAK = frozenset(".;:!?,\u2026")  # \u2026 is the ellipsis
_PUNCTUATION = "\"'()[]{}<>.,;:!?*_~`#\u2026\u2013\u2014\u00ab\u00bb\u201c\u201d\u201e"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def _expand(phrase: str) -> list[tuple[str, ...]]:
    """Expand the ``{a,b}``/``[a,b]`` phrase syntax into word tuples."""
    options: list[list[tuple[str, ...]]] = []
    for segment in _SEGMENT.findall(phrase):
        if segment[0] not in "{[":
            options.append([(segment,)])
            continue
        choices = [tuple(alt.split()) for alt in segment[1:-1].split(",")]
        options.append([*choices, ()] if segment[0] == "[" else choices)
    return [tuple(word for part in combo for word in part) for combo in product(*options)]


def _build_index() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Phrases keyed by their first word, or first two words, so most words cost one lookup."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for line in LEXICON.strip().splitlines():
        category, phrase = line.split(maxsplit=1)
        for macro, expansion in _MACROS.items():
            phrase = phrase.replace(macro, expansion)
        for words in _expand(phrase):
            index.setdefault(" ".join(words[:2]), []).append((category, words))
    # Longest phrases first so each category keeps its longest match at a position.
    return {k: tuple(sorted(v, key=lambda item: -len(item[1]))) for k, v in index.items()}


_INDEX = _build_index()
_FIRST_WORDS = frozenset(key.split()[0] for key in _INDEX)
_STARTS_PHRASE = frozenset(key.split()[0] for key in _INDEX if " " in key)


class _Tokens:
    """Whitespace-split, lower-cased words of the text; offsets are computed on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Hyphens split words ("log-in", "double-charged"); same length keeps offsets.
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters (e.g. "İ") grow when lower-cased
            lowered = "".join(char.lower()[0] for char in text)
        self.lowered = lowered.replace("-", " ")
        self.raws: list[str] = []
        self.line_ends: set[int] = set()  # a phrase never spans a line break
        for line in self.lowered.split("\n"):
            self.raws += line.split()
            self.line_ends.add(len(self.raws) - 1)
        self.words = [raw.strip(_PUNCTUATION) for raw in self.raws]
        self._starts: list[int] = []

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets from the start of word ``first`` to the end of word ``last``."""
        if not self._starts:  # same tokens as str.split(): both use str.isspace()
            self._starts = [match.start() for match in _NON_SPACE.finditer(self.lowered)]
        head, tail = self.raws[first], self.raws[last]
        start = self._starts[first] + len(head) - len(head.lstrip(_PUNCTUATION))
        return start, self._starts[last] + len(tail.rstrip(_PUNCTUATION))

    def joined(self, index: int) -> bool:
        """Whether word ``index`` and the next can belong to one phrase (same clause)."""
        return (
            bool(self.words[index + 1])
            and index not in self.line_ends
            and _CLAUSE_BREAK.isdisjoint(self.raws[index].rstrip("'\")")[-1:])
        )

    def negated(self, index: int) -> bool:
        for back in range(index - 1, max(-1, index - 1 - NEGATION_WINDOW), -1):
            if not self.joined(back):
                return False
            if self.words[back] in NEGATIONS:
                return True
        return False


def _scan(tokens: _Tokens) -> list[Evidence]:
    """Lexicon matches in text order, each distinct phrase once (its first unnegated use);
    in a category, overlapping matches keep the first, longest ("site is down", not "is down")."""
    found: list[Evidence] = []
    covered: dict[str, int] = {}  # category -> index of the last word of its last match
    seen: set[tuple[str, tuple[str, ...]]] = set()
    words = tokens.words
    count = len(words)
    hits = _FIRST_WORDS.intersection(words)  # in C: most words of a text are never visited
    for index in [i for i, word in enumerate(words) if word in hits] if hits else ():
        word = words[index]
        candidates = _INDEX.get(word, ())
        if word in _STARTS_PHRASE and index + 1 < count:
            pair = _INDEX.get(f"{word} {words[index + 1]}")
            if pair and tokens.joined(index):
                candidates = pair + candidates  # multi-word phrases first
        for category, phrase in candidates:
            last = index + len(phrase) - 1
            if covered.get(category, -1) >= index or last >= count:
                continue
            if len(phrase) > 2 and not all(
                words[index + k] == phrase[k] and tokens.joined(index + k - 1)
                for k in range(2, len(phrase))
            ):
                continue
            if (category, phrase) in seen:  # repeated phrase: the first occurrence stands
                covered[category] = last
            elif not (category in _NEGATABLE and tokens.negated(index)):
                covered[category] = last
                seen.add((category, phrase))
                start, end = tokens.span(index, last)
                found.append(Evidence(category, start, end, tokens.text[start:end]))
    return found


def _shouting(tokens: _Tokens) -> tuple[Evidence | None, float]:
    """Several all-caps words that are not acronyms; a run has no lower case in between."""
    text = tokens.text
    ascii_text = text.isascii()
    caps = [
        m
        for m in (_CAPS_ASCII if ascii_text else _CAPS_UNICODE).finditer(text)
        if m.group().isupper()
        and m.group().replace("'", "") not in ACRONYMS
        and not text[m.start() - 1 : m.start()].isalpha()  # "McDONALD" is no shouting
    ]
    if len(caps) < SHOUTING_MIN_WORDS:
        return None, 0.0
    total = len((_WORD_ASCII if ascii_text else _WORD_UNICODE).findall(text))
    ratio = len(caps) / max(total, 1)
    run, best_run, best = 1, 1, (caps[0].start(), caps[0].end())
    for index in range(1, len(caps)):
        gap = text[caps[index - 1].end() : caps[index].start()]
        run = run + 1 if gap == gap.upper() else 1
        if run > best_run:
            best_run, best = run, (caps[index - run + 1].start(), caps[index].end())
    if ratio < SHOUTING_MIN_RATIO and best_run < SHOUTING_MIN_RUN:
        return None, 0.0
    start, end = best if best_run >= SHOUTING_MIN_RUN else (caps[0].start(), caps[0].end())
    weight = HEAVY_SHOUTING_WEIGHT if ratio >= 0.5 else SHOUTING_WEIGHT
    return Evidence("shouting", start, end, text[start:end]), weight


def _noisy_or(weights: list[float]) -> float:
    # Rounded: the product's float error depends on the factors' order, so one more
    # signal could come out one ulp *lower* (0.60625 -> 0.6062499999...), which breaks
    # "more anger never lowers frustration". Rounding is monotone and hides that noise.
    return round(1.0 - math.prod(1.0 - weight for weight in weights), 9)


def _frustration(tokens: _Tokens, found: list[Evidence]) -> FrustrationSignal:
    evidence = [item for item in found if item.label in SIGNAL_WEIGHTS]
    weights = [SIGNAL_WEIGHTS[item.label] for item in evidence]
    profanity = [item for item in found if item.label == "profanity"]
    if profanity:  # one signal however often: swearing is also a speech habit
        evidence += profanity
        weights.append(PROFANITY_WEIGHT)
    shout, shout_weight = _shouting(tokens)
    if shout is not None:
        evidence.append(shout)
        weights.append(shout_weight)
    runs = [Evidence("exclamation", *m.span(), m.group()) for m in _EXCLAIM.finditer(tokens.text)]
    runs = [run for run in runs if "!" in run.text]
    if runs:
        evidence += runs
        weights.append(min(EXCLAIM_CAP, EXCLAIM_WEIGHT * len(runs)))
    evidence.sort(key=lambda item: item.start)
    return FrustrationSignal(score=_noisy_or(weights), evidence=tuple(evidence))


def _analyse(text: str) -> tuple[FrustrationSignal, tuple[Evidence, ...]]:
    """One pass over the text for both frustration and impact."""
    # Same-length substitutions keep Evidence offsets valid on the caller's text.
    tokens = _Tokens(text[:MAX_TEXT_CHARS].translate(_APOSTROPHES))
    found = _scan(tokens)
    impact = tuple(item for item in found if item.label in IMPACT_CATEGORIES)
    return _frustration(tokens, found), impact


def detect_frustration(text: str) -> FrustrationSignal:
    """Frustration in ``text`` as a 0-1 score with the spans that raised it."""
    return _analyse(text)[0]


def detect_impact(text: str) -> tuple[Evidence, ...]:
    """Business-impact spans labelled with their category code, in text order."""
    return _analyse(text)[1]


def _finite(minutes: float | None) -> float | None:
    """NaN means unknown; infinities are clamped to about 19 years so labels stay printable."""
    return None if minutes is None or math.isnan(minutes) else max(-1e7, min(1e7, minutes))


def _round(value: float) -> int:
    """Round half up (Python rounds half to even: round(2.5) == 2, round(3.5) == 4)."""
    return math.floor(value + 0.5)


def _duration(minutes: float) -> str:
    hours, rest = divmod(round(abs(minutes)), 60)
    if hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} h {rest} min" if hours and rest else f"{hours} h" if hours else f"{rest} min"


def _quoted(items: list[str], limit: int = 3, width: int = 40) -> str:
    """The first distinct ``limit`` phrases, quoted; long ones (shouting) are shortened."""
    short = [item if len(item) <= width else item[: width - 1] + "\u2026" for item in items]
    return ", ".join(f"'{item}'" for item in list(dict.fromkeys(short))[:limit])


def _impact_reasons(evidence: tuple[Evidence, ...]) -> list[Reason]:
    """The strongest category earns its weight, each further one a bonus, within the cap;
    categories left with 0 points are still listed: agents should see every risk."""
    reasons: list[Reason] = []
    budget = IMPACT_MAX
    for code in IMPACT_CATEGORIES:
        phrases = [item.text.lower() for item in evidence if item.label == code]
        if phrases:
            weight, label = IMPACT_CATEGORIES[code]
            points = min(budget, IMPACT_EXTRA_CATEGORY if reasons else weight)
            budget -= points
            reasons.append(Reason(f"impact.{code}", label, points, f"Mentions {_quoted(phrases)}."))
    return reasons


def _frustration_reason(signal: FrustrationSignal, repeats: int, combined: float) -> Reason | None:
    points = _round(FRUSTRATION_MAX * combined)
    if points <= 0:
        return None
    quoted = _quoted([item.text for item in signal.evidence if item.label != "exclamation"])
    parts = [quoted] if quoted else []
    if repeats > 0:
        parts.append(f"{repeats} other ticket{'s' if repeats > 1 else ''} about this")
    kinds = sorted({item.label for item in signal.evidence} | ({"repeat"} if repeats else set()))
    label = f"Customer is frustrated: {', '.join(parts) or 'repeated exclamation marks'}"
    return Reason("frustration", label, points, f"Frustration {combined:.2f}: {', '.join(kinds)}.")


def _sla_reason(minutes_to_breach: float | None) -> Reason | None:
    if minutes_to_breach is None:
        return None
    if minutes_to_breach <= 0:
        ago = _duration(minutes_to_breach)
        label = "SLA breached now" if ago == "0 min" else f"SLA breached {ago} ago"
        return Reason("sla", label, SLA_MAX, "The SLA target has passed.")
    points = _round(SLA_MAX * SLA_HALF_LIFE_MINUTES / (SLA_HALF_LIFE_MINUTES + minutes_to_breach))
    label = f"SLA breach in {_duration(minutes_to_breach)}"
    detail = f"{minutes_to_breach:.0f} minutes left before the SLA target."
    return Reason("sla", label, points, detail) if points > 0 else None


def _waiting_reason(waiting_minutes: float) -> Reason | None:
    points = _round(WAITING_MAX * min(1.0, max(0.0, waiting_minutes) / WAITING_FULL_MINUTES))
    label = f"Waiting for {_duration(waiting_minutes)}"
    detail = f"The customer has waited {waiting_minutes:.0f} minutes for us."
    return Reason("waiting", label, points, detail) if points > 0 else None


def compute_priority(inputs: PriorityInputs) -> PriorityScore:
    """Score a ticket and explain it; reasons are sorted by points, highest first."""
    urgency, tier = Urgency(inputs.urgency), Tier(inputs.tier)
    signal, impact = _analyse(inputs.text)
    repeats = max(0, inputs.repeat_contacts)
    repeat_weight = min(REPEAT_CONTACT_CAP, REPEAT_CONTACT_WEIGHT * repeats)
    combined = _noisy_or([signal.score, repeat_weight])
    # Urgency is always listed, even at 0 points: "low urgency" explains a low rank.
    points, label = URGENCY_POINTS[urgency]
    reasons = [Reason("urgency", label, points, f"Stated urgency: {urgency.value}.")]
    reasons += _impact_reasons(impact)
    optional = (
        _frustration_reason(signal, repeats, combined),
        _sla_reason(_finite(inputs.minutes_to_breach)),
        _waiting_reason(_finite(inputs.waiting_minutes) or 0.0),
    )
    reasons += [reason for reason in optional if reason is not None]
    points, label = TIER_POINTS[tier]
    if points > 0:
        reasons.append(Reason("tier", label, points, f"Customer tier: {tier.value}."))

    # Stable sort: equal points keep the order above (urgency, impact, frustration, ...).
    ordered = tuple(sorted(reasons, key=lambda reason: -reason.points))
    return PriorityScore(
        score=sum(reason.points for reason in ordered),
        reasons=ordered,
        challenging=combined >= CHALLENGING_THRESHOLD,
        frustration=combined,
    )
