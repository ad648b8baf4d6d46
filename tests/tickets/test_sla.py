"""Business-hours SLA arithmetic: nights, weekends, holidays, DST, lunch breaks, pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickets.sla import (
    MAX_SEARCH_DAYS,
    MIDNIGHT,
    BusinessCalendar,
    SlaClock,
    SlaTargets,
    add_business_minutes,
    business_minutes_between,
    due_at,
    elapsed_business_minutes,
    evaluate_sla,
    evaluate_target,
    remaining_minutes,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def local(value: datetime, tz: ZoneInfo = BERLIN) -> datetime:
    return value.astimezone(tz)


@pytest.fixture
def office() -> BusinessCalendar:
    """Mon-Fri 09:00-17:00 in Berlin; 2024-12-25 and 2024-12-26 are holidays."""
    return BusinessCalendar.standard(
        "Europe/Berlin", holidays=[date(2024, 12, 25), date(2024, 12, 26)]
    )


# --- calendar construction -------------------------------------------------------------


def test_it_rejects_a_calendar_without_any_opening_hours() -> None:
    with pytest.raises(ValueError, match="at least one weekday"):
        BusinessCalendar(BERLIN, {})
    with pytest.raises(ValueError, match="at least one weekday"):
        BusinessCalendar(BERLIN, {0: ()})


def test_it_rejects_empty_or_overlapping_intervals() -> None:
    with pytest.raises(ValueError, match="empty"):
        BusinessCalendar(BERLIN, {0: ((time(10), time(9)),)})
    with pytest.raises(ValueError, match="overlap"):
        BusinessCalendar(BERLIN, {0: ((time(9), time(12)), (time(11), time(13)))})
    with pytest.raises(ValueError, match="weekday"):
        BusinessCalendar(BERLIN, {7: ((time(9), time(12)),)})


def test_it_accepts_a_time_zone_name_and_compares_by_value() -> None:
    by_name = BusinessCalendar("Europe/Berlin", {0: ((time(9), time(17)),)})  # type: ignore[arg-type]
    assert by_name.tz == BERLIN
    assert by_name == BusinessCalendar(BERLIN, {0: ((time(9), time(17)),)})
    assert hash(by_name) == hash(BusinessCalendar(BERLIN, {0: ((time(9), time(17)),)}))
    assert by_name != BusinessCalendar.standard("Europe/Berlin")


def test_it_rejects_naive_datetimes(office: BusinessCalendar) -> None:
    naive = datetime(2024, 6, 3, 10, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_minutes(office, naive, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        business_minutes_between(office, berlin(2024, 6, 3, 9), naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(office, berlin(2024, 6, 3, 9), 60, [(naive, None)])


# --- add_business_minutes ---------------------------------------------------------------


def test_it_adds_minutes_within_the_same_day_and_returns_utc(office: BusinessCalendar) -> None:
    result = add_business_minutes(office, berlin(2024, 6, 3, 10, 0), 90)  # Monday
    assert result.tzinfo is UTC
    assert local(result) == berlin(2024, 6, 3, 11, 30)


def test_it_ends_at_closing_time_rather_than_next_morning(office: BusinessCalendar) -> None:
    assert local(add_business_minutes(office, berlin(2024, 6, 3, 9), 480)) == berlin(2024, 6, 3, 17)


def test_it_carries_over_the_night(office: BusinessCalendar) -> None:
    result = add_business_minutes(office, berlin(2024, 6, 3, 16, 0), 120)
    assert local(result) == berlin(2024, 6, 4, 10, 0)


def test_it_skips_the_weekend(office: BusinessCalendar) -> None:
    result = add_business_minutes(office, berlin(2024, 6, 7, 16, 30), 60)  # Friday
    assert local(result) == berlin(2024, 6, 10, 9, 30)  # Monday


def test_it_rolls_a_start_outside_hours_forward(office: BusinessCalendar) -> None:
    saturday = berlin(2024, 6, 8, 12, 0)
    assert local(add_business_minutes(office, saturday, 30)) == berlin(2024, 6, 10, 9, 30)
    early = berlin(2024, 6, 4, 6, 0)
    assert local(add_business_minutes(office, early, 30)) == berlin(2024, 6, 4, 9, 30)


def test_it_rolls_forward_but_does_not_move_with_zero_minutes(office: BusinessCalendar) -> None:
    inside = berlin(2024, 6, 4, 11, 15)
    assert add_business_minutes(office, inside, 0) == inside
    assert local(add_business_minutes(office, berlin(2024, 6, 8, 12), 0)) == berlin(2024, 6, 10, 9)


def test_it_skips_holidays(office: BusinessCalendar) -> None:
    christmas_eve = berlin(2024, 12, 24, 16, 0)  # Tuesday; 25th and 26th are holidays
    assert local(add_business_minutes(office, christmas_eve, 120)) == berlin(2024, 12, 27, 10, 0)


def test_it_skips_the_lunch_break() -> None:
    cal = BusinessCalendar.standard("Europe/Berlin", lunch=True)
    result = add_business_minutes(cal, berlin(2024, 6, 3, 11, 30), 60)
    assert local(result) == berlin(2024, 6, 3, 13, 30)
    assert business_minutes_between(cal, berlin(2024, 6, 3, 9), berlin(2024, 6, 3, 17)) == 420


def test_it_uses_the_local_date_of_the_start_not_the_utc_date() -> None:
    cal = BusinessCalendar.always("America/New_York")
    start = datetime(2024, 6, 4, 1, 0, tzinfo=UTC)  # still June 3rd, 21:00, in New York
    assert add_business_minutes(cal, start, 60) == datetime(2024, 6, 4, 2, 0, tzinfo=UTC)
    late = BusinessCalendar(NEW_YORK, {0: ((time(18), MIDNIGHT),)})  # Mondays 18:00-24:00
    assert business_minutes_between(late, start, start + timedelta(hours=2)) == 120


def test_it_accepts_start_times_in_other_zones(office: BusinessCalendar) -> None:
    start = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)  # 10:00 in Berlin
    assert local(add_business_minutes(office, start, 60)) == berlin(2024, 6, 3, 11, 0)


def test_it_rejects_negative_minutes(office: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_minutes(office, berlin(2024, 6, 3, 9), -1)


def test_it_gives_up_beyond_the_search_horizon(office: BusinessCalendar) -> None:
    too_much = (MAX_SEARCH_DAYS + 10) * 24 * 60
    with pytest.raises(ValueError, match="no deadline found"):
        add_business_minutes(office, berlin(2024, 6, 3, 9), too_much)


# --- DST --------------------------------------------------------------------------------


def test_it_counts_the_short_spring_forward_day_in_a_24_7_calendar() -> None:
    cal = BusinessCalendar.always("Europe/Berlin")
    # 2024-03-31: 02:00 -> 03:00, the day has 23 hours.
    assert business_minutes_between(cal, berlin(2024, 3, 31), berlin(2024, 4, 1)) == 23 * 60
    result = add_business_minutes(cal, berlin(2024, 3, 31, 1, 30), 60)
    assert local(result) == berlin(2024, 3, 31, 3, 30)


def test_it_counts_the_long_fall_back_day_in_a_24_7_calendar() -> None:
    cal = BusinessCalendar.always("Europe/Berlin")
    # 2024-10-27: 03:00 -> 02:00, the day has 25 hours.
    assert business_minutes_between(cal, berlin(2024, 10, 27), berlin(2024, 10, 28)) == 25 * 60
    result = add_business_minutes(cal, berlin(2024, 10, 27, 0, 0), 24 * 60)
    assert local(result) == berlin(2024, 10, 27, 23, 0)


def test_it_keeps_office_days_eight_hours_long_across_dst() -> None:
    cal = BusinessCalendar(BERLIN, dict.fromkeys(range(7), ((time(9), time(17)),)))
    for day in (date(2024, 3, 31), date(2024, 10, 27)):
        start = datetime.combine(day, time(9), tzinfo=BERLIN)
        assert business_minutes_between(cal, start, start + timedelta(days=1)) == 480
        assert local(add_business_minutes(cal, start, 480)) == start.replace(hour=17)
    # Friday 16:00 before the spring change + 2 h lands Monday 10:00 CEST.
    office = BusinessCalendar.standard("Europe/Berlin")
    assert local(add_business_minutes(office, berlin(2024, 3, 29, 16), 120)) == berlin(
        2024, 4, 1, 10
    )


def test_it_maps_opening_hours_inside_the_dst_gap_to_the_transition() -> None:
    # Sunday opening 02:30-04:00 on the spring-forward day really opens at 03:00 CEST.
    cal = BusinessCalendar(BERLIN, {6: ((time(2, 30), time(4)),)})
    day = (berlin(2024, 3, 31, 0), berlin(2024, 4, 1, 0))
    assert business_minutes_between(cal, *day) == 60
    assert local(add_business_minutes(cal, day[0], 0)) == berlin(2024, 3, 31, 3, 0)


def test_it_follows_the_calendar_zone_not_utc() -> None:
    cal = BusinessCalendar.standard("America/New_York")
    start = datetime(2024, 3, 8, 16, 0, tzinfo=NEW_YORK)  # Friday before the US change
    result = add_business_minutes(cal, start, 120)
    assert result.astimezone(NEW_YORK) == datetime(2024, 3, 11, 10, 0, tzinfo=NEW_YORK)
    assert result == datetime(2024, 3, 11, 14, 0, tzinfo=UTC)  # EDT is UTC-4


# --- business_minutes_between -------------------------------------------------------------


def test_it_counts_zero_when_the_end_is_not_after_the_start(office: BusinessCalendar) -> None:
    a = berlin(2024, 6, 3, 10)
    assert business_minutes_between(office, a, a) == 0
    assert business_minutes_between(office, a, a - timedelta(hours=1)) == 0


def test_it_counts_a_week_as_forty_hours(office: BusinessCalendar) -> None:
    assert business_minutes_between(office, berlin(2024, 6, 3), berlin(2024, 6, 10)) == 40 * 60


def test_it_counts_nothing_over_a_weekend(office: BusinessCalendar) -> None:
    assert business_minutes_between(office, berlin(2024, 6, 7, 17), berlin(2024, 6, 10, 9)) == 0


# --- pauses and deadlines -------------------------------------------------------------------


def test_it_computes_a_deadline_without_pauses(office: BusinessCalendar) -> None:
    due = due_at(office, berlin(2024, 6, 3, 15), 240, [], now=berlin(2024, 6, 3, 15))
    assert due is not None
    assert local(due) == berlin(2024, 6, 4, 11)


def test_it_pushes_the_deadline_by_a_closed_pause(office: BusinessCalendar) -> None:
    start = berlin(2024, 6, 3, 9)
    pauses = [(berlin(2024, 6, 3, 10), berlin(2024, 6, 3, 12))]  # 2 h waiting on the customer
    due = due_at(office, start, 240, pauses, now=berlin(2024, 6, 3, 14))
    assert due is not None
    assert local(due) == berlin(2024, 6, 3, 15)


def test_it_ignores_the_part_of_a_pause_outside_business_hours(office: BusinessCalendar) -> None:
    start = berlin(2024, 6, 3, 16)
    pauses = [(berlin(2024, 6, 3, 16, 30), berlin(2024, 6, 4, 9, 30))]  # overnight pause
    due = due_at(office, start, 60, pauses)
    assert due is not None
    assert local(due) == berlin(2024, 6, 4, 10, 0)
    elapsed = elapsed_business_minutes(office, start, berlin(2024, 6, 4, 10), pauses)
    assert elapsed == 60


def test_it_has_no_deadline_while_paused(office: BusinessCalendar) -> None:
    start = berlin(2024, 6, 3, 9)
    pauses = [(berlin(2024, 6, 3, 10), None)]
    assert due_at(office, start, 240, pauses, now=berlin(2024, 6, 3, 15)) is None
    # The clock stopped after one business hour.
    assert elapsed_business_minutes(office, start, berlin(2024, 6, 5, 15), pauses) == 60
    assert remaining_minutes(office, start, 240, pauses, berlin(2024, 6, 5, 15)) == 180


def test_it_keeps_a_deadline_reached_before_an_open_pause(office: BusinessCalendar) -> None:
    start = berlin(2024, 6, 3, 9)
    pauses = [(berlin(2024, 6, 3, 12), None)]
    due = due_at(office, start, 60, pauses, now=berlin(2024, 6, 3, 13))
    assert due is not None
    assert local(due) == berlin(2024, 6, 3, 10)


def test_it_ignores_pauses_that_begin_after_now(office: BusinessCalendar) -> None:
    start = berlin(2024, 6, 3, 9)
    future = [(berlin(2024, 6, 3, 11), None)]
    due = due_at(office, start, 240, future, now=berlin(2024, 6, 3, 10))
    assert due is not None
    assert local(due) == berlin(2024, 6, 3, 13)


def test_it_merges_overlapping_pauses_and_ignores_those_before_start(
    office: BusinessCalendar,
) -> None:
    start = berlin(2024, 6, 3, 9)
    pauses = [
        (berlin(2024, 6, 1, 9), berlin(2024, 6, 2, 9)),  # before the clock started
        (berlin(2024, 6, 3, 10), berlin(2024, 6, 3, 11, 30)),
        (berlin(2024, 6, 3, 11), berlin(2024, 6, 3, 12)),  # overlaps the previous one
    ]
    due = due_at(office, start, 120, pauses)
    assert due is not None
    assert local(due) == berlin(2024, 6, 3, 13)
    assert elapsed_business_minutes(office, start, berlin(2024, 6, 3, 13), pauses) == 120


def test_it_does_not_count_an_open_pause_that_has_not_begun(office: BusinessCalendar) -> None:
    start = berlin(2024, 6, 3, 9)
    pauses = [(berlin(2024, 6, 3, 12), None)]
    assert elapsed_business_minutes(office, start, berlin(2024, 6, 3, 11), pauses) == 120
    assert elapsed_business_minutes(office, start, berlin(2024, 6, 3, 14), pauses) == 180


def test_it_rejects_a_pause_ending_before_it_starts(office: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        due_at(
            office, berlin(2024, 6, 3, 9), 60, [(berlin(2024, 6, 3, 12), berlin(2024, 6, 3, 11))]
        )


def test_it_rolls_a_zero_target_past_a_pause(office: BusinessCalendar) -> None:
    saturday = berlin(2024, 6, 8, 12)
    pauses = [(saturday, berlin(2024, 6, 10, 11))]
    due = due_at(office, saturday, 0, pauses)
    assert due is not None
    assert local(due) == berlin(2024, 6, 10, 11)


# --- SLA state: breach and warning -----------------------------------------------------------


def test_it_reports_a_breach_once_the_deadline_passed_even_overnight(
    office: BusinessCalendar,
) -> None:
    clock = SlaClock(start=berlin(2024, 6, 3, 13))
    status = evaluate_target(office, "first_response", 240, clock, [], berlin(2024, 6, 3, 19))
    assert status.due is not None
    assert local(status.due) == berlin(2024, 6, 3, 17)
    assert status.remaining_minutes == 0  # no business minute passed since 17:00
    assert status.breached
    assert not status.warning


def test_it_warns_when_less_than_a_fifth_of_the_target_remains(office: BusinessCalendar) -> None:
    clock = SlaClock(start=berlin(2024, 6, 3, 9))
    early = evaluate_target(office, "resolution", 240, clock, [], berlin(2024, 6, 3, 12))
    late = evaluate_target(office, "resolution", 240, clock, [], berlin(2024, 6, 3, 12, 15))
    assert not early.warning  # 60 minutes left > 48
    assert late.warning  # 45 minutes left <= 48
    assert not late.breached
    fixed = evaluate_target(
        office, "resolution", 240, clock, [], berlin(2024, 6, 3, 12), warn_minutes=90
    )
    assert fixed.warning


def test_it_does_not_breach_while_paused_before_the_deadline(office: BusinessCalendar) -> None:
    clock = SlaClock(start=berlin(2024, 6, 3, 9))
    pauses = [(berlin(2024, 6, 3, 10), None)]
    status = evaluate_target(office, "resolution", 120, clock, pauses, berlin(2024, 6, 10, 9))
    assert status.paused
    assert status.due is None
    assert not status.breached
    assert status.remaining_minutes == 60


def test_it_keeps_a_breach_that_happened_before_the_pause(office: BusinessCalendar) -> None:
    clock = SlaClock(start=berlin(2024, 6, 3, 9))
    pauses = [(berlin(2024, 6, 3, 12), None)]
    status = evaluate_target(office, "resolution", 60, clock, pauses, berlin(2024, 6, 3, 13))
    assert status.paused
    assert status.breached
    assert status.remaining_minutes == -120


def test_it_freezes_a_met_target(office: BusinessCalendar) -> None:
    on_time = SlaClock(start=berlin(2024, 6, 3, 9), stopped_at=berlin(2024, 6, 3, 9, 50))
    late = SlaClock(start=berlin(2024, 6, 3, 9), stopped_at=berlin(2024, 6, 3, 11))
    now = berlin(2024, 6, 20, 9)
    met = evaluate_target(office, "first_response", 60, on_time, [], now)
    missed = evaluate_target(office, "first_response", 60, late, [], now)
    assert met.met
    assert not met.breached
    assert not met.warning  # 10 minutes (< 20 %) left when met, but the race is over
    assert met.elapsed_minutes == 50
    assert missed.breached
    assert missed.elapsed_minutes == 120


def test_it_ignores_pauses_that_began_after_a_target_was_met(office: BusinessCalendar) -> None:
    clock = SlaClock(start=berlin(2024, 6, 3, 9), stopped_at=berlin(2024, 6, 3, 9, 30))
    pauses = [(berlin(2024, 6, 3, 10), None), (berlin(2024, 6, 3, 9, 20), berlin(2024, 6, 3, 11))]
    status = evaluate_target(office, "first_response", 60, clock, pauses, berlin(2024, 6, 4, 9))
    assert status.met
    assert not status.paused
    assert not status.breached
    assert status.elapsed_minutes == 20  # 09:00-09:20, then paused until the reply at 09:30


def test_it_evaluates_only_targets_with_a_policy_and_a_clock(office: BusinessCalendar) -> None:
    targets = SlaTargets(first_response=60, next_response=None, resolution=480)
    now = berlin(2024, 6, 3, 10, 30)
    state = evaluate_sla(
        office,
        targets,
        now,
        first_response=SlaClock(start=berlin(2024, 6, 3, 9)),
        next_response=SlaClock(start=berlin(2024, 6, 3, 9)),
        resolution=SlaClock(start=berlin(2024, 6, 3, 9)),
    )
    assert state.next_response is None
    assert state.first_response is not None
    assert state.first_response.breached
    assert state.resolution is not None
    assert not state.resolution.breached
    assert state.breached
    assert state.next_due is state.first_response
    assert [s.name for s in state.statuses] == ["first_response", "resolution"]


def test_it_picks_the_earliest_running_deadline_as_next_due(office: BusinessCalendar) -> None:
    state = evaluate_sla(
        office,
        SlaTargets(first_response=60, resolution=480),
        berlin(2024, 6, 3, 9, 30),
        first_response=SlaClock(berlin(2024, 6, 3, 9), stopped_at=berlin(2024, 6, 3, 9, 10)),
        resolution=SlaClock(berlin(2024, 6, 3, 9)),
    )
    assert not state.breached
    assert not state.warning
    assert state.next_due is state.resolution


# --- properties ----------------------------------------------------------------------------

CALENDARS = st.sampled_from(
    [
        BusinessCalendar.standard("Europe/Berlin", holidays=[date(2024, 12, 25)]),
        BusinessCalendar.standard("America/New_York", lunch=True),
        BusinessCalendar.always("Europe/Berlin"),
        BusinessCalendar(BERLIN, {5: ((time(2), time(3)), (time(22), time(0)))}),
    ]
)
INSTANTS = st.datetimes(
    min_value=datetime(2023, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2026, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
MINUTES = st.integers(min_value=0, max_value=60 * 24 * 30).map(float) | st.floats(
    min_value=0, max_value=5000, allow_nan=False
)


@settings(max_examples=150, deadline=None)
@given(cal=CALENDARS, start=INSTANTS, minutes=MINUTES)
def test_it_round_trips_adding_and_measuring(
    cal: BusinessCalendar, start: datetime, minutes: float
) -> None:
    end = add_business_minutes(cal, start, minutes)
    assert end >= start
    assert business_minutes_between(cal, start, end) == pytest.approx(minutes, abs=1e-4)


@settings(max_examples=100, deadline=None)
@given(cal=CALENDARS, start=INSTANTS, a=MINUTES, b=MINUTES)
def test_it_is_monotonic_in_minutes(
    cal: BusinessCalendar, start: datetime, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    assert add_business_minutes(cal, start, low) <= add_business_minutes(cal, start, high)


@settings(max_examples=100, deadline=None)
@given(cal=CALENDARS, a=INSTANTS, b=INSTANTS, c=INSTANTS)
def test_it_adds_up_consecutive_spans(
    cal: BusinessCalendar, a: datetime, b: datetime, c: datetime
) -> None:
    a, b, c = sorted((a, b, c))
    whole = business_minutes_between(cal, a, c)
    parts = business_minutes_between(cal, a, b) + business_minutes_between(cal, b, c)
    assert whole == pytest.approx(parts, abs=1e-6)
    assert whole <= (c - a).total_seconds() / 60 + 1e-6


@settings(max_examples=100, deadline=None)
@given(
    cal=CALENDARS,
    start=INSTANTS,
    target=st.integers(min_value=1, max_value=60 * 24 * 5),
    pause_offsets=st.lists(
        st.tuples(st.integers(0, 60 * 24 * 10), st.integers(0, 60 * 24 * 3)), max_size=4
    ),
)
def test_it_reaches_the_target_exactly_at_the_deadline_despite_pauses(
    cal: BusinessCalendar, start: datetime, target: int, pause_offsets: list[tuple[int, int]]
) -> None:
    pauses = [
        (start + timedelta(minutes=offset), start + timedelta(minutes=offset + length))
        for offset, length in pause_offsets
    ]
    due = due_at(cal, start, target, pauses)
    assert due is not None
    assert elapsed_business_minutes(cal, start, due, pauses) == pytest.approx(target, abs=1e-6)
    # One business minute earlier (if the clock ran then) the target was not reached yet.
    assert elapsed_business_minutes(cal, start, due - timedelta(seconds=1), pauses) < target
