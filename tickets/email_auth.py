"""Did the receiving MTA authenticate the From domain? Read from Authentication-Results.

We cannot check SPF, DKIM or DMARC ourselves after the fact (SPF needs the connecting
IP); the MTA that received the message did, and wrote its verdict in an
Authentication-Results header (RFC 8601) named after itself, its authserv-id. Only a
header carrying the configured, trusted authserv-id counts: anyone can write such a
header into a message, so the trusted MTA must also strip incoming copies bearing
its own id (RFC 8601 section 5; Postfix/OpenDMARC, rspamd and Exchange do).

Pure functions, no Django and no I/O, like tickets.email_parsing.
"""

from __future__ import annotations

import enum
import re

_COMMENT = re.compile(r"\([^()]*\)")
_RESULT = re.compile(r"^\s*([a-z0-9-]+)\s*=\s*([a-z]+)\b(.*)$", re.IGNORECASE | re.DOTALL)
_PROPERTY = re.compile(r"([a-z0-9-]+)\.([a-z0-9-]+)\s*=\s*([^\s;]+)", re.IGNORECASE)


class SenderCheck(enum.Enum):
    VERIFIED = "verified"  # DMARC passed, or SPF/DKIM passed for the From domain
    FAILED = "failed"  # the trusted MTA says the From domain did not authenticate
    UNKNOWN = "unknown"  # no trusted verdict: not configured, or no header from our MTA


def _aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment (RFC 7489 3.1), approximated without the public suffix list:
    equal, or one a subdomain of the other. A verdict for a bare public suffix (d=co.uk)
    would pass too, but no sender can obtain one: its DNS belongs to the registry."""
    domain, from_domain = domain.lower().strip(".").strip('"'), from_domain.lower()
    return (
        domain == from_domain
        or from_domain.endswith("." + domain)
        or domain.endswith("." + from_domain)
    )


def _results(header: str) -> tuple[str, list[tuple[str, str, dict[str, str]]]]:
    """(authserv-id, [(method, result, {ptype.property: value})]) of one header."""
    text = " ".join(header.split())
    for _ in range(10):  # comments nest (RFC 5322 CFWS): strip the innermost, repeatedly
        text, found = _COMMENT.subn(" ", text)
        if not found:
            break
    parts = text.split(";")
    authserv_id = parts[0].split()[0].lower() if parts[0].split() else ""
    results = []
    for part in parts[1:]:
        match = _RESULT.match(part)
        if match is None:
            continue
        method, result, rest = match.groups()
        props = {f"{p}.{n}".lower(): v.rsplit("@", 1)[-1] for p, n, v in _PROPERTY.findall(rest)}
        results.append((method.lower(), result.lower(), props))
    return authserv_id, results


def sender_check(headers: tuple[str, ...], *, authserv_id: str, from_email: str) -> SenderCheck:
    """The trusted MTA's verdict on the From address's domain."""
    if not authserv_id:
        return SenderCheck.UNKNOWN
    from_domain = from_email.rpartition("@")[2].lower()
    # Our MTA prepends its header, so the first one with its id is the one it wrote.
    trusted = next(
        (
            res
            for header in headers
            for sid, res in [_results(header)]
            if sid == authserv_id.lower()
        ),
        None,
    )
    if trusted is None or not from_domain:
        return SenderCheck.UNKNOWN
    dmarc = [(result, props) for method, result, props in trusted if method == "dmarc"]
    if dmarc:
        result, props = dmarc[0]
        domain = props.get("header.from", from_domain)
        passed = result == "pass" and _aligned(domain, from_domain)
        return SenderCheck.VERIFIED if passed else SenderCheck.FAILED
    # No DMARC verdict: an aligned DKIM signature or SPF pass will do; an explicit
    # failure with nothing passing is a failure; anything else stays unknown.
    for method, result, props in trusted:
        domain = props.get("header.d" if method == "dkim" else "smtp.mailfrom", "")
        if method in ("dkim", "spf") and result == "pass" and _aligned(domain, from_domain):
            return SenderCheck.VERIFIED
    if any(m in ("dkim", "spf") and r in ("fail", "softfail") for m, r, _ in trusted):
        return SenderCheck.FAILED
    return SenderCheck.UNKNOWN
