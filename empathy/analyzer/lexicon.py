"""Hand-written word lists. Informed by reading support replies; no data copied.

Lists are joined into regex alternations by :mod:`empathy.analyzer.patterns`.
"""

from __future__ import annotations

# Words naming a negative experience or feeling, used after "that sounds ...",
# "you must be ...", "I understand how ... this is".
NEGATIVE_FEELINGS: tuple[str, ...] = (
    "frustrat\\w*", "annoy\\w*", "upset\\w*", "stress\\w*", "worr\\w*", "scar\\w*",
    "hard", "harder", "difficult", "tough", "rough", "awful", "terrible", "horrible",
    "painful", "exhaust\\w*", "overwhelm\\w*", "disappoint\\w*", "confus\\w*", "lonely",
    "alone", "sad", "depress\\w*", "anxious", "hurt\\w*", "heartbreak\\w*", "unfair",
    "inconvenient", "infuriat\\w*", "madden\\w*", "angry", "irritat\\w*", "discourag\\w*",
    "drain\\w*", "tiring", "tired", "hopeless", "helpless", "terrif\\w*", "rubbish",
    "shitty", "crappy", "a pain", "a nightmare", "a hassle", "a headache", "a lot",
    "a mess", "stuck", "isolat\\w*", "embarrass\\w*", "ashamed", "nervous", "afraid",
    "frighten\\w*", "miserable", "devastat\\w*", "awkward", "unsettling", "concern\\w*",
    "distress\\w*", "agoniz\\w*", "unacceptable", "aggravat\\w*", "bad", "worse",
    "a struggle", "struggling", "challenging", "demoraliz\\w*", "stressful", "fed up",
    "let down", "out of pocket", "lost", "scary", "upsetting", "a shock", "shock\\w*",
    "disheartening", "gutted", "sucks", "nerve-wracking", "unpleasant", "grim",
)

POSITIVE_FEELINGS: tuple[str, ...] = (
    "great", "awesome", "amazing", "wonderful", "fantastic", "lovely", "brilliant",
    "exciting", "beautiful", "impressive", "brave", "inspiring", "good news",
)

# Words that mark a customer message as emotionally loaded (weight 1 each).
DISTRESS_WORDS: tuple[str, ...] = (
    "angry", "anger", "furious", "livid", "outraged", "outrageous", "frustrated",
    "frustrating", "annoyed", "annoying", "upset", "ridiculous", "unacceptable", "disgusted",
    "disgusting", "terrible", "worst", "useless", "awful", "horrible", "disappointed",
    "disappointing", "pathetic", "joke", "scam", "hate", "sick", "tired", "fed", "waste",
    "wasted", "incompetent", "complaint", "complain", "lawyer", "refund", "cancel",
    "worried", "anxious", "scared", "stressed", "stress", "desperate", "devastated",
    "crying", "panic", "panicking", "urgent", "emergency", "nightmare", "shocking",
    "rude", "ignored", "ignoring", "lied", "lying", "unbelievable", "infuriating", "mad",
    "hopeless", "helpless", "miserable", "afraid", "nervous", "confused", "lost", "broke",
    "sad", "depressed", "lonely", "overwhelmed", "struggling", "hurt", "pissed", "fuming",
    "appalling", "appalled", "insane", "absurd", "unhappy", "dissatisfied", "embarrassed",
)

# Multi-word distress markers (weight 2: repetition and escalation are strong signals).
DISTRESS_PHRASES: tuple[str, ...] = (
    "third time", "fourth time", "fifth time", "second time", "again and again",
    "yet again", "once again", "still not", "still isn't", "still hasn't", "still haven't",
    "still doesn't", "still no", "still waiting", "still broken", "how many times",
    "nobody has", "no one has", "nobody is", "no one is", "fed up", "sick of",
    "sick and tired", "had enough", "last straw", "for weeks", "for months", "for days",
    "can't believe", "cannot believe", "what a joke", "waste of", "never again",
    "speak to a manager", "talk to a manager", "can't afford", "cannot afford",
    "not good enough", "at my wits", "losing my mind", "going crazy", "over and over",
)

# Acronyms that are not shouting when written in capitals.
ACRONYMS = frozenset(
    """
    OK API URL PDF FAQ ID VPN USB CPU GPU RAM SSD HDD DNS IP TV PC UK US USA EU VAT
    SMS PIN HTML CSS JSON XML HTTP HTTPS SSL TLS SSO FYI ASAP ETA SLA RMA CEO IT HR
    LOL OMG AM PM GMT UTC EST PST BST CET ISP WIFI LAN WAN SIM IMEI QR NFC CRM ERP
    SKU UPS DHL FEDEX USPS AI ATM IOS MAC NHS GP DIY THE AND
    """.split()
)

# Technical or internal vocabulary that customers rarely share (tone: jargon).
JARGON: tuple[str, ...] = (
    "escalated to (?:l[123]|tier ?[123])", "l[123] support", "tier ?[123] (?:team|support)",
    "sla", "rma", "ttl", "dns propagation", "backend", "back-end", "upstream",
    "downstream", "ticket ?id", "per our (?:tos|terms of service|sop)", "sop", "kb article",
    "as per (?:policy|our policy|the policy)", "root cause analysis", "rca",
    "known issue", "p[1-4] (?:incident|ticket)", "hotfix", "deprecat\\w+", "idempoten\\w+",
    "cache invalidation", "config(?:uration)? drift", "provisioning", "endpoint",
)
