import dataclasses
import datetime

import pytest

from bot.understanding.durations import (
    DurationMatch,
    find_durations,
    is_recurring,
    parse_duration_days,
)

TODAY = datetime.date(2026, 11, 20)  # a Friday
MINUTE, HOUR = 1 / 1440, 1 / 24

CASES = [
    # Numbers, units and spelling variants.
    ("5+ months", 150),
    ("eyebrow twitchy. both sides. month-ish.", 30),
    ("left cheek. today.", 0.5),
    ("comes n goes like a month", 30),
    ("freaking out since this mornin", 0.25),
    ("I feel fine today. My eye twitches", None),
    ("2 wks", 14),
    ("2wks", 14),
    ("3days", 3),
    ("a wk", 7),
    ("A WEEK", 7),
    ("about 20 minutes", 20 * MINUTE),
    ("about 20 min", 20 * MINUTE),
    ("10 secs", 10 / 86400),
    ("30 seconds", 30 / 86400),
    ("4 dys", 4),
    ("a weeek", 7),
    ("5 mos", 150),
    ("3 mths", 90),
    ("2 mnths", 60),
    ("4 monthes", 120),
    ("1 mo", 30),
    ("2 yeras", 730),
    ("3+ yrs", 1095),
    ("over a decade", 3650),
    ("48 hours", 2),
    ("an hour", HOUR),
    ("couple hrs", 2 * HOUR),
    ("half an hour", 0.5 * HOUR),
    ("an hour and a half", 1.5 * HOUR),
    ("half a year", 182.5),
    ("a year and a half", 547.5),
    ("a week and a half", 10.5),
    ("a month and a half", 45),
    ("one and a half years", 547.5),
    ("two and a half weeks", 17.5),
    ("1.5 months", 45),
    ("0.5 hours", 0.5 * HOUR),
    ("a fortnight", 14),
    ("a couple of weeks", 14),
    ("couple weeks", 14),
    ("a few days", 3),
    ("few weeks", 21),
    ("several weeks", 21),
    ("several days", 3),
    ("a few months", 90),
    ("twelve days", 12),
    ("twenty-five days", 25),
    ("twenty five days", 25),
    ("thirty minutes", 30 * MINUTE),
    ("1 year and 2 months ago", 425),
    ("2 years 3 months", 820),
    ("a week or two", 14),
    # Ranges and hedges: the upper bound, hedge words ignored.
    ("2-3 weeks", 21),
    ("2 to 3 weeks", 21),
    ("2 or 3 weeks", 21),
    ("two or three weeks", 21),
    ("about 1-2 months", 60),
    ("over a month", 30),
    ("more than 2 weeks", 14),
    ("almost 3 weeks", 21),
    ("just over 2 weeks", 14),
    ("like 2 weeks", 14),
    ("for like a week", 7),
    ("for the past 10 days", 10),
    ("in the last 2 weeks", 14),
    ("for the last 20 minutes", 20 * MINUTE),
    ("since 2 weeks", 14),
    ("since two days", 2),
    ("it's been going on 2 weeks", 14),
    ("I have had it 10 days", 10),
    ("I've had this a week", 7),
    ("about a week or so", 7),
    ("for months", 60),
    ("for years now", 730),
    # Onset phrases.
    ("since yesterday", 1),
    ("Yesterday my cheek started twitching", 1),
    ("the day before yesterday", 2),
    ("since this morning", 0.25),
    ("since last night", 0.5),
    ("started today", 0.5),
    ("since today", 0.5),
    ("all day today", 0.5),
    ("Today my eyelid started twitching", 0.5),
    ("it's been twitching all day", 0.5),
    ("started 3 days ago", 3),
    ("One week ago", 7),
    ("A YEAR AGO", 365),
    ("began about 2 months back", 60),
    ("began last week", 7),
    ("last month", 30),
    ("since last month", 30),
    ("since last year", 365),
    ("for the past week", 7),
    ("since the weekend", 2),
    ("it started over the weekend", 2),
    ("on and off for a year", 365),
    # Weekdays and months, counted back from TODAY (Fri 20 Nov 2026).
    ("since last Tuesday", 3),
    ("it started this week", 5),
    ("since Monday", 4),
    ("started on Monday", 4),
    ("since Friday", 7),
    ("since last Friday", 7),
    ("since Saturday", 6),
    ("since January", 323),
    ("since March", 264),
    ("started in March", 264),
    ("since may", 203),
    ("since November", 19),
    ("since December", 354),
    ("off and on since december", 354),
    ("since 2024", 1054),
    # Several durations: the longest wins.
    ("it started 2 months ago, worse in the last week", 60),
    ("it twitches for a few seconds at a time and started 3 weeks ago", 21),
    ("twice a day for 3 weeks", 21),
    ("each twitch lasts 10 seconds but it's been going for 2 weeks", 14),
    ("I get it 3 times a week for the past 2 months", 60),
    ("my face has been twitching every day for a couple of weeks", 14),
    ("for 2 weeks every night", 14),
    ("for 3 weeks, 5 days a week", 21),
    ("5 year old boy, twitching for 2 wks", 14),
    ("I'm 34 years old and it has twitched on and off for 6 months", 180),
    ("twitching 2-3 times an hour for the last few days", 3),
    ("SINCE MONDAY, ABOUT 2 WKS", 14),
    # Unknown or not a duration at all.
    ("for ages", None),
    ("for a long time", None),
    ("twice a day", None),
    ("every 5 minutes", None),
    ("3 times a week", None),
    ("a few times a day", None),
    ("3 days a week", None),
    ("each twitch lasts 10 seconds", None),
    ("for a few seconds at a time", None),
    ("lasts about a minute each time", None),
    ("they last 20 seconds", None),
    ("it twitches for 10 seconds several times a day", None),
    ("per day", None),
    ("every hour", None),
    ("every few weeks", None),
    ("I sleep 6 hours a night", None),
    ("I'm 23", None),
    ("23 years old", None),
    ("my 5 year old", None),
    ("a 40-year-old woman", None),
    ("2 cups of coffee", None),
    ("I drink 2 cups of coffee a day", None),
    ("at 5 pm", None),
    ("on the 3rd", None),
    ("I feel fine today", None),
    ("it twitches all day long", None),
    ("I went to Spain in March", None),
    ("appointment in 3 days", None),
    ("I see my doctor next week", None),
    ("", None),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_parse_duration_days(text, expected):
    got = parse_duration_days(text, today=TODAY)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("on and off for a year", True),
        ("off and on since december", True),
        ("on-off for weeks", True),
        ("it comes and goes", True),
        ("they come and go", True),
        ("keeps coming back", True),
        ("it came back last week", True),
        ("every few weeks", True),
        ("every couple of months", True),
        ("every other week my eye twitches", True),
        ("recurring twitch for 4 years", True),
        ("it's recurrent", True),
        ("again and again", True),
        ("now and then", True),
        ("constant for 3 weeks", False),
        ("every day for 3 weeks", False),
        ("every 5 minutes", False),
        ("twice a day", False),
        ("since Monday", False),
    ],
)
def test_is_recurring(text, expected):
    assert is_recurring(text) is expected


@pytest.mark.parametrize(
    "text, recurring",
    [
        ("on and off for a year", True),
        ("comes and goes, started 3 months ago", True),
        ("the twitch keeps coming back every few months for 2 years", True),
        ("for a year", False),
        ("started 3 months ago", False),
    ],
)
def test_match_carries_recurring_flag(text, recurring):
    matches = find_durations(text, today=TODAY)
    assert matches
    assert all(m.recurring is recurring for m in matches)


@pytest.mark.parametrize(
    "text, expected_texts",
    [
        ("It started 3 days ago.", ["3 days ago"]),
        ("twitching for about 2 wks now", ["about 2 wks"]),
        ("hi, since last Tuesday my eye", ["since last Tuesday"]),
        ("for the past 10 days", ["the past 10 days"]),
        (
            "it started 2 months ago, worse in the last week",
            ["2 months ago", "the last week"],
        ),
        ("since Monday, about 2 wks", ["since Monday", "about 2 wks"]),
        ("twice a day for a year and a half", ["a year and a half"]),
        ("every 5 minutes, 3 times a week", []),
    ],
)
def test_match_offsets(text, expected_texts):
    matches = find_durations(text, today=TODAY)
    assert [m.text for m in matches] == expected_texts
    for m in matches:
        assert text[m.start : m.end] == m.text
    starts = [m.start for m in matches]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:], strict=False))


def test_offsets_are_exact():
    text = "Hello!  My cheek has twitched for 5+ months."
    (m,) = find_durations(text, today=TODAY)
    assert (m.start, m.end, m.text) == (34, 43, "5+ months")
    assert m.days == pytest.approx(150)


@pytest.mark.parametrize(
    "today, text, expected",
    [
        (datetime.date(2026, 11, 17), "since last Tuesday", 7),  # today is Tuesday
        (datetime.date(2026, 11, 18), "since last Tuesday", 1),
        (datetime.date(2026, 11, 23), "since Friday", 3),
        (datetime.date(2026, 11, 16), "it started this week", 1),  # a Monday
        (datetime.date(2026, 2, 10), "since March", 346),  # March is still ahead
        (datetime.date(2026, 4, 15), "since March", 45),
        (datetime.date(2026, 11, 20), "since last November", 384),
    ],
)
def test_calendar_phrases_depend_on_today(today, text, expected):
    assert parse_duration_days(text, today=today) == pytest.approx(expected)


def test_today_defaults_to_the_real_date():
    today = datetime.date.today()
    expected = (today - datetime.date(today.year - 1, 1, 1)).days
    assert parse_duration_days(f"since {today.year - 1}") == pytest.approx(expected)


def test_longest_of_several_durations_wins():
    text = "a few minutes ago it got worse, but it began 3 weeks ago, maybe 2 days"
    matches = find_durations(text, today=TODAY)
    assert sorted(m.days for m in matches) == pytest.approx([3 * MINUTE, 2, 21])
    assert parse_duration_days(text, today=TODAY) == pytest.approx(21)


def test_match_is_a_frozen_dataclass():
    (m,) = find_durations("for 2 weeks", today=TODAY)
    assert m == DurationMatch(
        start=4, end=11, text="2 weeks", days=14.0, recurring=False
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.days = 1.0
