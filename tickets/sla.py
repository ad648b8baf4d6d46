"""Business-hours SLA arithmetic (pure Python: no Django, no database).

An SLA target ("first response within 4 business hours") is measured on a
:class:`BusinessCalendar`: opening intervals per weekday in the team's time zone,
minus holidays. Elapsed time only counts inside those intervals and outside the
*pauses* (periods where the ticket waits on the customer).

Formulas
--------
For a calendar ``C`` with opening intervals ``I_k = [s_k, e_k)`` (UTC instants):

* ``business_minutes_between(C, a, b) = sum_k |[a, b) ∩ I_k|`` in minutes.
* ``add_business_minutes(C, t, m)`` is the earliest instant ``u >= t`` with
  ``business_minutes_between(C, t, u) == m``; for ``m == 0`` it is ``t`` rolled
  forward to the next opening (a ticket created on Saturday starts its clock on
  Monday morning).
* ``elapsed = business_minutes(start, now)`` minus the business minutes of the
  union of pauses within ``[start, now]``.
* ``due_at`` is the earliest instant where the un-paused business time since
  ``start`` reaches the target. It is ``None`` while an *open* pause stopped the
  clock before the target was reached: nobody knows when the customer will answer.
* ``remaining = target - elapsed`` (business minutes; negative once overdue).
* A target is *breached* when its deadline passed before it was met
  (``due < stopped_at or now``). It is in *warning* when it still runs, is not
  breached, and ``remaining <= warn_minutes`` (if given) else
  ``remaining <= warn_fraction * target``.

Time zones and DST
------------------
Opening hours are wall-clock times in the calendar's zone, converted day by day
to UTC, so an 09:00-17:00 day is 8 hours on DST days as well while a 24/7 day is
23 or 25 hours. Ambiguous wall times (the repeated hour in autumn) take their
first occurrence; non-existent ones (the skipped hour in spring) map to the
transition instant. All arithmetic is done on aware UTC datetimes; naive ones
are rejected with ``ValueError``. Loops walk interval by interval, never minute
by minute, and give up with ``ValueError`` after :data:`MAX_SEARCH_DAYS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

__all__ = [
    "MAX_SEARCH_DAYS",
    "BusinessCalendar",
    "Pause",
    "SlaClock",
    "SlaState",
    "SlaTargets",
    "TargetStatus",
    "add_business_minutes",
    "business_minutes_between",
    "due_at",
    "elapsed_business_minutes",
    "evaluate_sla",
    "evaluate_target",
    "remaining_minutes",
]

#: Search horizon: an open-ended walk through the calendar stops after this many days.
MAX_SEARCH_DAYS = 5 * 366

#: ``end == MIDNIGHT`` in an interval means "until the end of the day" (24:00).
MIDNIGHT = time(0)

Interval = tuple[time, time]
#: (paused_at, resumed_at); ``resumed_at is None`` means the clock is still paused.
Pause = tuple[datetime, datetime | None]

_ONE_DAY = timedelta(days=1)
_MINUTE = timedelta(minutes=1)


def _require_aware(value: datetime, name: str) -> datetime:
    """Return ``value`` in UTC; refuse naive datetimes, whose zone is a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours of a team: weekday (0 = Monday) -> sorted ``(start, end)`` intervals.

    ``end`` may be ``time(0)`` to mean midnight at the end of the day; several
    intervals per day model a lunch break. Holidays are local dates with no hours.
    ``tz`` may also be given as a zone name ("Europe/Berlin").
    """

    tz: ZoneInfo
    hours: Mapping[int, tuple[Interval, ...]]
    holidays: frozenset[date] = frozenset()
    _key: tuple[object, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Callers may pass a zone name; the annotation says what the field holds after init.
        raw_tz: ZoneInfo | str = self.tz
        tz = ZoneInfo(raw_tz) if isinstance(raw_tz, str) else raw_tz
        normalized: dict[int, tuple[Interval, ...]] = {}
        for weekday, intervals in self.hours.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}")
            ordered = tuple(sorted(intervals))
            previous_end: time | None = None
            for start, end in ordered:
                if end != MIDNIGHT and end <= start:
                    raise ValueError(f"interval {start}-{end} on weekday {weekday} is empty")
                if previous_end is not None and (previous_end == MIDNIGHT or start < previous_end):
                    raise ValueError(f"intervals overlap on weekday {weekday}")
                previous_end = end
            if ordered:
                normalized[weekday] = ordered
        if not normalized:
            # Every deadline search would run forever: refuse the calendar up front.
            raise ValueError("a business calendar needs opening hours on at least one weekday")
        holidays = frozenset(self.holidays)
        object.__setattr__(self, "tz", tz)
        object.__setattr__(self, "hours", MappingProxyType(normalized))
        object.__setattr__(self, "holidays", holidays)
        # Hashable identity so per-day interval lists can be memoised.
        zone: object = tz.key or tz  # ZoneInfo.from_file() zones have no key
        key = (zone, tuple(sorted(normalized.items())), tuple(sorted(holidays)))
        object.__setattr__(self, "_key", key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    @classmethod
    def standard(
        cls, tz_name: str = "UTC", holidays: Iterable[date] = (), *, lunch: bool = False
    ) -> BusinessCalendar:
        """Monday-Friday 09:00-17:00 (with a 12:00-13:00 lunch break when ``lunch``)."""
        day: tuple[Interval, ...] = (
            ((time(9), time(12)), (time(13), time(17))) if lunch else ((time(9), time(17)),)
        )
        return cls(ZoneInfo(tz_name), dict.fromkeys(range(5), day), frozenset(holidays))

    @classmethod
    def always(cls, tz_name: str = "UTC", holidays: Iterable[date] = ()) -> BusinessCalendar:
        """24/7 support: every day from midnight to midnight."""
        return cls(
            ZoneInfo(tz_name), dict.fromkeys(range(7), ((MIDNIGHT, MIDNIGHT),)), frozenset(holidays)
        )


def _local_to_utc(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """Convert a local wall time to UTC, mapping a skipped (DST gap) time to the transition."""
    local = datetime.combine(day, wall, tzinfo=tz)
    before, after = local.utcoffset(), local.replace(fold=1).utcoffset()
    if before is None or after is None or before >= after:
        # Regular or repeated wall time: fold=0 is the first occurrence.
        return local.astimezone(UTC)
    # In a gap, fold=0 reads the time with the pre-transition offset, fold=1 with
    # the post-transition one; the transition lies between. Bisect to the second.
    low = datetime.combine(day, wall) - after  # naive UTC, earlier bound
    high = datetime.combine(day, wall) - before
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.replace(tzinfo=UTC).astimezone(tz).utcoffset() == after:
            high = mid
        else:
            low = mid
    return high.replace(tzinfo=UTC, microsecond=0)


@lru_cache(maxsize=8192)
def _day_intervals(cal: BusinessCalendar, day: date) -> tuple[tuple[datetime, datetime], ...]:
    """Opening intervals of one local date as UTC instants (empty on holidays)."""
    if day in cal.holidays:
        return ()
    result: list[tuple[datetime, datetime]] = []
    for start, end in cal.hours.get(day.weekday(), ()):
        start_utc = _local_to_utc(day, start, cal.tz)
        end_utc = (
            _local_to_utc(day + _ONE_DAY, MIDNIGHT, cal.tz)
            if end == MIDNIGHT
            else _local_to_utc(day, end, cal.tz)
        )
        if end_utc > start_utc:  # an interval wholly inside a DST gap vanishes
            result.append((start_utc, end_utc))
    return tuple(result)


def _intervals(
    cal: BusinessCalendar, start: datetime, until: datetime | None = None
) -> Iterator[tuple[datetime, datetime]]:
    """Yield opening intervals (UTC) clipped to begin at ``start``, in order.

    With ``until`` the walk stops after the local day containing it; without, it
    raises ``ValueError`` past :data:`MAX_SEARCH_DAYS` so no caller can loop forever.
    """
    # Start one day early: a DST shift may pull yesterday's late hours past midnight.
    day = start.astimezone(cal.tz).date() - _ONE_DAY
    last_day = until.astimezone(cal.tz).date() + _ONE_DAY if until is not None else None
    horizon = day + timedelta(days=MAX_SEARCH_DAYS)
    while last_day is None or day <= last_day:
        for begin, end in _day_intervals(cal, day):
            if end > start:
                yield max(begin, start), end
        day += _ONE_DAY
        if last_day is None and day > horizon:
            raise ValueError(
                f"no deadline found within {MAX_SEARCH_DAYS} days of {start.isoformat()}"
            )


def _add(cal: BusinessCalendar, start: datetime, amount: timedelta) -> datetime:
    if amount < timedelta(0):
        raise ValueError("cannot add a negative number of business minutes")
    for begin, end in _intervals(cal, start):
        if amount == timedelta(0):
            return begin  # roll forward to the next opening
        span = end - begin
        if amount <= span:
            return begin + amount
        amount -= span
    raise AssertionError("unreachable: _intervals either yields forever or raises")


def _between(cal: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
    total = timedelta(0)
    if b <= a:
        return total
    for begin, end in _intervals(cal, a, until=b):
        if begin >= b:
            break
        total += min(end, b) - begin
    return total


def add_business_minutes(cal: BusinessCalendar, start: datetime, minutes: float) -> datetime:
    """Instant (UTC) at which ``minutes`` business minutes have elapsed since ``start``."""
    return _add(cal, _require_aware(start, "start"), timedelta(minutes=minutes))


def business_minutes_between(cal: BusinessCalendar, a: datetime, b: datetime) -> float:
    """Business minutes in ``[a, b)``; 0 when ``b <= a``."""
    return _between(cal, _require_aware(a, "a"), _require_aware(b, "b")) / _MINUTE


def _merged_pauses(
    pauses: Iterable[Pause], start: datetime, open_end: datetime | None
) -> list[tuple[datetime, datetime | None]]:
    """Validate, sort and merge pauses; drop those ending before ``start``.

    An open pause is kept open (``None``) unless ``open_end`` closes it.
    """
    spans: list[tuple[datetime, datetime | None]] = []
    for paused_at, resumed_at in pauses:
        begin = _require_aware(paused_at, "pause start")
        end = None if resumed_at is None else _require_aware(resumed_at, "pause end")
        if end is None and open_end is not None:
            end = max(open_end, begin)  # an open pause not begun yet is empty, not an error
        if end is not None and end < begin:
            raise ValueError(f"pause ends ({end}) before it starts ({begin})")
        if end is not None and end <= start:
            continue
        spans.append((max(begin, start), end))
    spans.sort(key=lambda span: span[0])
    merged: list[tuple[datetime, datetime | None]] = []
    for begin, end in spans:
        if merged:
            last_begin, last_end = merged[-1]
            if last_end is None or begin <= last_end:
                joined = None if last_end is None or end is None else max(last_end, end)
                merged[-1] = (last_begin, joined)
                continue
        merged.append((begin, end))
    return merged


def elapsed_business_minutes(
    cal: BusinessCalendar, start: datetime, now: datetime, pauses: Iterable[Pause] = ()
) -> float:
    """Business minutes the clock ran in ``[start, now)``, not counting pauses."""
    start, now = _require_aware(start, "start"), _require_aware(now, "now")
    if now <= start:
        return 0.0
    total = _between(cal, start, now)
    for begin, end in _merged_pauses(pauses, start, open_end=now):
        total -= _between(cal, min(begin, now), now if end is None else min(end, now))
    return max(total, timedelta(0)) / _MINUTE


def due_at(
    cal: BusinessCalendar,
    start: datetime,
    target_minutes: float,
    pauses: Iterable[Pause] = (),
    now: datetime | None = None,
) -> datetime | None:
    """Deadline (UTC) for ``target_minutes`` of un-paused business time since ``start``.

    ``None`` when an open pause stopped the clock before the target was reached.
    Pauses starting after ``now`` (when given) are ignored: they have not happened.
    """
    start = _require_aware(start, "start")
    if now is not None:
        # Pauses that begin after ``now`` have not happened yet.
        now = _require_aware(now, "now")
        pauses = [pause for pause in pauses if _require_aware(pause[0], "pause start") <= now]
    if target_minutes < 0:
        raise ValueError("target_minutes must be >= 0")
    remaining = timedelta(minutes=target_minutes)
    cursor = start
    for begin, end in _merged_pauses(pauses, start, open_end=None):
        available = _between(cal, cursor, begin)
        # ``available > 0`` also lets a zero target roll forward to an opening
        # that is not inside a pause.
        if available >= remaining and available > timedelta(0):
            return _add(cal, cursor, remaining)
        remaining -= available
        if end is None:
            return None  # paused indefinitely with time still to run
        cursor = max(cursor, end)
    return _add(cal, cursor, remaining)


def remaining_minutes(
    cal: BusinessCalendar,
    start: datetime,
    target_minutes: float,
    pauses: Iterable[Pause],
    now: datetime,
) -> float:
    """Business minutes left before the target (negative once overdue)."""
    return target_minutes - elapsed_business_minutes(cal, start, now, pauses)


@dataclass(frozen=True)
class SlaTargets:
    """Targets in business minutes; ``None`` means "no such target in this policy"."""

    first_response: float | None = None
    next_response: float | None = None
    resolution: float | None = None


@dataclass(frozen=True)
class SlaClock:
    """When a target's clock started and, once met, when it stopped."""

    start: datetime
    stopped_at: datetime | None = None


@dataclass(frozen=True)
class TargetStatus:
    name: str
    target_minutes: float
    due: datetime | None
    elapsed_minutes: float
    remaining_minutes: float
    breached: bool
    warning: bool
    met: bool
    paused: bool


def _is_paused(pauses: Iterable[Pause], at: datetime) -> bool:
    for paused_at, resumed_at in pauses:
        begin = _require_aware(paused_at, "pause start")
        if begin <= at and (resumed_at is None or _require_aware(resumed_at, "pause end") > at):
            return True
    return False


def evaluate_target(
    cal: BusinessCalendar,
    name: str,
    target_minutes: float,
    clock: SlaClock,
    pauses: Iterable[Pause],
    now: datetime,
    *,
    warn_fraction: float = 0.2,
    warn_minutes: float | None = None,
) -> TargetStatus:
    """Status of one target at ``now`` (or frozen at ``clock.stopped_at`` once met)."""
    pauses = tuple(pauses)
    now = _require_aware(now, "now")
    met = clock.stopped_at is not None
    reference = _require_aware(clock.stopped_at, "stopped_at") if clock.stopped_at else now
    reference = min(reference, now)
    if met:
        # Once met, a pause still open at that moment ended with it, and pauses that
        # began later do not concern this target: the verdict is final.
        pauses = tuple(
            (begin, reference if end is None or end > reference else end)
            for begin, end in pauses
            if begin < reference
        )
    elapsed = elapsed_business_minutes(cal, clock.start, reference, pauses)
    due = due_at(cal, clock.start, target_minutes, pauses, now=reference)
    remaining = target_minutes - elapsed
    # Compare wall-clock instants: a deadline of 17:00 is breached at 18:00 even
    # though no business minute elapsed in between.
    breached = due is not None and due < reference
    threshold = warn_minutes if warn_minutes is not None else warn_fraction * target_minutes
    paused = not met and _is_paused(pauses, reference)
    warning = not met and not breached and remaining <= threshold
    return TargetStatus(
        name=name,
        target_minutes=target_minutes,
        due=due,
        elapsed_minutes=elapsed,
        remaining_minutes=remaining,
        breached=breached,
        warning=warning,
        met=met,
        paused=paused,
    )


@dataclass(frozen=True)
class SlaState:
    """All targets of a ticket at one instant; absent targets are ``None``."""

    first_response: TargetStatus | None
    next_response: TargetStatus | None
    resolution: TargetStatus | None

    @property
    def statuses(self) -> tuple[TargetStatus, ...]:
        candidates = (self.first_response, self.next_response, self.resolution)
        return tuple(status for status in candidates if status is not None)

    @property
    def breached(self) -> bool:
        return any(status.breached for status in self.statuses)

    @property
    def warning(self) -> bool:
        return any(status.warning for status in self.statuses)

    @property
    def next_due(self) -> TargetStatus | None:
        """The running (not met) target with the earliest known deadline."""
        running = [s for s in self.statuses if not s.met and s.due is not None]
        return min(running, key=lambda s: s.due or datetime.max.replace(tzinfo=UTC), default=None)


def evaluate_sla(
    cal: BusinessCalendar,
    targets: SlaTargets,
    now: datetime,
    *,
    first_response: SlaClock | None = None,
    next_response: SlaClock | None = None,
    resolution: SlaClock | None = None,
    pauses: Iterable[Pause] = (),
    warn_fraction: float = 0.2,
    warn_minutes: float | None = None,
) -> SlaState:
    """Evaluate every target that has both a policy value and a running/met clock."""
    pauses = tuple(pauses)

    def one(name: str, minutes: float | None, clock: SlaClock | None) -> TargetStatus | None:
        if minutes is None or clock is None:
            return None
        return evaluate_target(
            cal,
            name,
            minutes,
            clock,
            pauses,
            now,
            warn_fraction=warn_fraction,
            warn_minutes=warn_minutes,
        )

    return SlaState(
        first_response=one("first_response", targets.first_response, first_response),
        next_response=one("next_response", targets.next_response, next_response),
        resolution=one("resolution", targets.resolution, resolution),
    )
