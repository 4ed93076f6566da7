"""How long has the symptom been going on?  Free text in, days out.

People say it many ways: "5+ months", "2wks", "since last Tuesday", "on and off
for a year".  This module is a small regex grammar over the word tables below.

Choices that matter for safety:
- Ranges and vague amounts resolve to the upper bound ("2-3 weeks" -> 21):
  under-estimating how long a symptom has lasted is the unsafe error.
- Frequencies and episode lengths ("twice a day", "each twitch lasts 10
  seconds") are not durations and are dropped.
- Vague phrases ("for ages", "a long time") give no match: unknown, not a number.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from bot.understanding.text import sentence_around

# Every spelling we accept -> length in days.  All plurals end in "s", which is
# how "for months" (no number) is told apart from "for month".
UNIT_DAYS = {
    **dict.fromkeys("sec secs second seconds".split(), 1 / 86400),
    **dict.fromkeys("min mins minute minutes".split(), 1 / 1440),
    **dict.fromkeys("hr hrs hour hours hrz hourz".split(), 1 / 24),
    **dict.fromkeys("d day days dys dayz dayss dais dyas dasy".split(), 1),
    # "about a weak": a misspelt week (only ever after a number or "a").
    **dict.fromkeys(
        "wk wks week weeks weeek weeeks weekz wek weks wekk wekks weak".split(), 7
    ),
    **dict.fromkeys("fortnight fortnights".split(), 14),
    **dict.fromkeys(
        "mo mos mth mths mnth mnths month months monthes mounth mounths".split(), 30
    ),
    **dict.fromkeys("yr yrs year years yeras".split(), 365),
    **dict.fromkeys("decade decades".split(), 3650),
}

ONES = (
    "one two three four five six seven eight nine ten "
    "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = {
    **{word: i + 1 for i, word in enumerate(ONES)},
    **{word: 20 + 10 * i for i, word in enumerate(TENS)},
    # Vague amounts, at their usual reading ("several weeks" = 3 weeks = 21 days).
    **{"a": 1, "an": 1, "half": 0.5, "couple": 2, "few": 3, "several": 3},
    # chat spellings: "a cpl days", "coupla weeks", voice typing's "too weeks"
    **{"cpl": 2, "coupla": 2, "cuple": 2, "too": 2},
    **{"many": 3, "dozen": 12},
}

WEEKDAYS = "mon tue wed thu fri sat sun".split()  # matched on the first 3 letters
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()  # likewise


def _alt(words) -> str:
    """Regex alternation, longest first so "seventeen" wins over "seven"."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_UNIT = rf"(?:{_alt(UNIT_DAYS)})(?![a-z])"
_LONG_UNIT = rf"(?:{_alt(w for w, d in UNIT_DAYS.items() if d >= 1)})(?![a-z])"
_VAGUE = "a an half couple cpl coupla cuple few dozen".split()
_WORD = _alt(w for w in NUMBER_WORDS if w not in _VAGUE)
_NUM = rf"(?:\d+(?:\.\d+)?(?:ish)?\+?|(?:{_alt(TENS)})[\s-]+(?:{_alt(ONES)})|(?:{_WORD})(?:-?ish)?)"
_QUANT = rf"""(?:(?:an?\s+)?(?:half(?:\s+an?)?|(?:couple|cpl|coupla|cuple)(?:\s+o[f']?)?|few|dozen)
    |{_NUM}(?:\s+and\s+a\s+half)?|an?)"""
_SEP = r"(?:(?<=[\d+])\s*|[\s-]+)"  # "2wks" needs no space after a digit

# "about 3 weeks", "the past 10 days", "2-3 wks", "a week or two", "a year and
# a half", "1 year and 2 months ago", "2 years 3 months".
_DURATION = re.compile(
    rf"""(?<![\w.])
    (?P<qual>(?:(?:about|around|approx(?:imately)?|roughly|nearly|almost|over|under
        |bout|abt|arnd|round|since\s+(?:the\s+)?(?:last|past)|from\s+(?:the\s+)?(?:last|past)
        |more\s+than|less\s+than|at\s+least|just|only|like|maybe|probably
        |a\s+good|well|the\s+(?:past|last)|past|last)\s+|~\s*){{0,3}})
    (?P<q1>{_QUANT})(?:\s*(?:-|–|to|or)\s*(?P<q2>{_QUANT}))?
    {_SEP}(?P<unit>{_UNIT})
    (?P<half>\s+(?:and|n|&|\+)\s+a\s+half)?
    (?:\s+or\s+(?P<alt>{_NUM}))?
    (?:(?:\s+and\s+(?P<q3>{_QUANT})|\s+(?P<q4>{_NUM})){_SEP}(?P<unit3>{_UNIT}))?
    # "3 years before." in non-native English is "3 years ago"
    (?P<ago>\s+(?:ago|back|before(?=\s*(?:[.,;!?]|$))))?""",
    re.I | re.X,
)

# Points in time: (pattern, how to get the days, needs an onset word nearby).
# The onset word keeps "I feel fine today" or "saw my GP on Monday" out.
_ANCHOR_TABLE = [
    (r"(?:the\s+)?day\s+before\s+yesterday", 2, False),
    (
        r"yesterday|yday|yest|yestrday|yesterdy|yesturday|yestaday|yesteday|ystrday",
        1,
        False,
    ),
    (r"last\s+ni(?:ght|te)", 0.5, False),
    (r"all\s+day\s+today", 0.5, False),
    (r"all\s+day", 0.5, True),
    (r"(?:earlier\s+)?today|2day(?!s)", 0.5, "twitch"),  # "2day": chat for today
    (r"(?:all|the\s+whole|the\s+entire)\s+(?:this\s+)?(?:week|wk)", 7, False),
    (r"(?:since|from)\s+(?:the\s+|this\s+)?mornin[g']?", 0.25, False),  # "from morning"
    (r"this\s+mornin[g']?", 0.25, "twitch"),
    (r"(?:x|for)\s*(?P<n>\d+)/(?P<per>7|52|12)", "clinical", False),  # "x 10/7"
    (
        r"(?<![\d/])(?P<n>\d{1,2})/(?P<per>52)(?![\d/])",
        "clinical",
        False,
    ),  # "3/52": no date
    # "year and a half now" with no "a" in front
    (rf"(?P<unit>{_LONG_UNIT})\s+(?:and|n|&)\s+a\s+half", "and a half", False),
    (r"(?:on|it's|its)\s+day\s+(?P<n>\d+)", "day n", False),  # "currently on day 3"
    (
        r"day\s+(?P<n>\d{1,3})(?=\s*(?:[.,;!?]|$|now\b|of\b))",
        "day n",
        False,
    ),  # "😩 day 5"
    (r"this\s+(?:arvo|afternoon|avo)", 0.25, False),
    (r"(?:since|from)\s+(?:brekkie|brekky|breakfast|lunch(?:time)?)", 0.25, False),
    (r"(?:the|this|last|this\s+past)\s+weekend", 2, True),
    (r"this\s+week", "this week", True),
    # "the last week", "since last month"; a bare "last year" is when, not how long
    (
        rf"(?:(?:the|for|over|in|during|since|this)\s+(?:last|past)|past)\s+(?P<unit>{_UNIT})",
        "unit",
        False,
    ),
    (rf"last\s+(?P<unit>{_UNIT})", "unit", True),  # "began last week"
    (rf"for\s+(?P<unit>{_UNIT})", "plural", False),  # "for months"
    (rf"(?<![\w-])(?P<unit>{_LONG_UNIT})-?ish", "unit", False),  # "month-ish"
    (rf"been\s+(?:going\s+on\s+)?(?P<unit>{_UNIT})", "plural", False),  # "been months"
    (rf"(?P<unit>{_UNIT})\s+ago", "plural", False),  # "months ago"
    (
        r"(?:last\s+|this\s+past\s+|past\s+)?(?P<wd>(?:mon|tues|wednes|thurs|fri"
        r"|satur|sun)day|tues|thurs)",
        "weekday",
        True,
    ),
    # Month names need a preposition: "may" and "march" are also verbs.
    (
        r"(?:since|from|in|during|early|late|mid)[\s-]+(?P<last>last\s+)?"
        r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
        r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)",
        "month",
        True,
    ),
    (r"(?:since|from)\s+(?P<year>(?:19|20)\d\d)", "year", False),
]
_ANCHORS = [
    (re.compile(rf"\b(?:(?:since|from)\s+)?(?:{p})\b", re.I), kind, cue)
    for p, kind, cue in _ANCHOR_TABLE
]

# "It started on Monday and today is Thursday", "since the 2nd. Today is the
# 5th": the person names today, so count from that day, not the calendar's.
_TODAY_IS = re.compile(
    r"\b(?:today\s+is|today'?s|it'?s(?:\s+now)?)(?:\s+the)?\s+"
    r"(?:(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day)|(?P<dom>\d{1,2})(?:st|nd|rd|th)\b)",
    re.I,
)
_ON_DAY_OF_MONTH = re.compile(
    r"\b(?:since|on|from)\s+(?:the\s+)?(?P<dom>\d{1,2})(?:st|nd|rd|th)\b", re.I
)
_ONSET_CUE = re.compile(
    r"\b(?:since|from|start\w*|began|begun|begin\w*|notic\w*|appear\w*|"
    r"came\s+on|kicked\s+in|been|first|onset|develop\w*|woke|waking)\b",
    re.I,
)
# "twitching this morning", "eyelid twitch today": said of the twitch, so that
# is when it started (for "today" and "this morning" only; "all day" is how often).
_TWITCH_CUE = re.compile(
    r"\b(?:twitch\w*|twich\w*|spasm\w*|flicker\w*|flutter\w*|jump\w*|quiver\w*)",
    re.I,
)
# What comes right before / after a candidate and makes it a frequency, an
# episode length, an age or a future time rather than "how long so far".
_FREQ_BEFORE = re.compile(
    r"(?:\b(?:every|each|per|once|twice|thrice|times)|\dx)\s*$", re.I
)
_FREQ_AFTER = re.compile(
    rf"""\s*(?:(?:a|an|per|every|each)\s+(?P<per>{_UNIT}|night)
    |at\s+a\s+time|(?:a|each|every|per)\s+(?:time|twitch|episode|spasm|attack)s?\b
    |per\b|each\b|apiece)""",
    re.I | re.X,
)
# "I'm 67 years old", "30 weeks pregnant": an age, not how long it has lasted.
_AGE_AFTER = re.compile(
    r"[\s-]*(?:old\b|of\s+age\b|pregnant\b|along\b|postpartum\b)", re.I
)
# "I am 52 years, sugar patient", "my son is 15 years": an age said without "old".
_AGE_BEFORE = re.compile(
    r"\b(?:i\s+am|i'?m|im|(?:he|she)(?:\s+is|'s)"
    r"|(?:son|daughter|baby|kid|child|boy|girl|toddler|teen|teenager)(?:\s+is|'s|\s*\()?"
    r"|aged?|who\s+is)\s*$",
    re.I,
)
# Only for lengths under a day: "it lasts 10 seconds", "20 secs, 5 times a day".
_EPISODE_BEFORE = re.compile(
    # ("it has lasted 36 hours" is how long so far, not one twitch's length)
    r"(?:(?<!the\s)\blast|\blasts|\blasting|(?<!has\s)(?<!have\s)(?<!'s\s)\blasted|\btakes?|\btook)\s+"
    r"(?:for\s+)?$",
    re.I,
)
_EPISODE_AFTER = re.compile(r"\s*,?\s*(?:[\w-]+\s+){0,2}times\b", re.I)
# "12 hour shifts", "a 10-hour drive", "2 week holiday": the length of
# something else, said as a modifier of it.
_MODIFIER_AFTER = re.compile(
    r"[\s-]*(?:shifts?|nights?|days|drives?|flights?|trips?|journeys?|holidays?"
    r"|vacations?|courses?|exams?|weekends?|commutes?|stints?|rotas?|fasts?"
    r"|hikes?|workdays?|sessions?|meetings?|marathons?|treks?|rides?|stretch"
    r"|contracts?|leases?|placements?|internships?|projects?|programmes?|programs?"
    r"|degrees?|apprenticeships?|rotations?|tours?|deployments?|streaks?"
    r"|(?:time\s+)?difference|layovers?"
    # "a week later it was in my cheek": the time between two events, not its length
    r"|later)\b",
    re.I,
)
# Chat "4" for "for": "twitchin 4 a month", "twitch on n off 4 like a yr" (a week
# or more only: "drinking 4 a day" is how many).
_CHAT_FOR_BEFORE = re.compile(
    r"\b(?:twitch\w*|\w+ing|\w+in|off|eyes?|lid|cheek|lip|jaw|chin)\s+4\s+(?:like\s+)?$",
    re.I,
)
_FUTURE_BEFORE = re.compile(r"\b(?:in|next|another)\s+$", re.I)
# A bare "a day" is a duration after "for"/"been"/..., not in "coffee a day".
_ARTICLE_OK_BEFORE = re.compile(
    r"(?:^|[^\w\s]|\b(?:for|fr|since|been|than|it|this|had|lasted|of|right|left|side|like|goes|off"
    r"|twitch|spasm|\w+ing|\w+in))\s*$",
    re.I,
)
# A bare "last" means "for the last" only after an -ing verb or at the start.
_SO_FAR_BEFORE_LAST = re.compile(r"(?:^|[^\w\s]|\w+ing)\s*$", re.I)
_ARTICLE_OK_AFTER = re.compile(r"\s+(?:now|so\s+far|already|or\s+so)\b", re.I)

_RECURRING = re.compile(
    rf"""\b(?:on\s*(?:and|&|n|/|-)\s*off|off\s*(?:and|&|n|/|-)\s*on
    |com(?:es?|ing)\s+(?:and|n|&)\s+go(?:es|ing)?|came\s+and\s+went
    |(?:keeps?|kept)\s+(?:coming\s+ba(?:ck|k)|returning|recurring|happening)
    |com(?:es|ing)\s+ba(?:ck|k)|came\s+back|recurr\w*|recurs|again\s+and\s+again
    |over\s+and\s+over|now\s+and\s+(?:then|again)|from\s+time\s+to\s+time
    |every\s+so\s+often|intermittent\w*
    |every\s+(?:few|couple(?:\s+of)?|other|several|{_NUM})\s+{_LONG_UNIT})""",
    re.I | re.X,
)


@dataclass(frozen=True)
class DurationMatch:
    start: int  # char offset in the text
    end: int
    text: str  # the matched substring
    days: float  # how long the symptom has been going on, in days
    recurring: bool  # the text says "on and off", "comes and goes", "every few weeks"


def _quantity(phrase: str) -> float:
    """The number in "2", "5+", "a couple of", "twenty-five", "two and a half"."""
    phrase = phrase.lower().replace("-", " ").strip()
    extra = 0.5 if phrase.endswith("and a half") else 0.0
    phrase = phrase.removesuffix("and a half").strip().removesuffix("ish").strip()
    if phrase[0].isdigit():
        return float(phrase.rstrip("+").removesuffix("ish")) + extra  # "3ish"
    words = [w for w in phrase.split() if w not in ("a", "an", "of", "o", "o'")]
    return (sum(NUMBER_WORDS[w] for w in words) if words else 1) + extra


def _anchor_days(kind, m: re.Match, today: datetime.date) -> float | None:
    if not isinstance(kind, str):
        return kind
    if kind in ("unit", "plural"):
        word = m["unit"].lower()
        if kind == "plural" and not word.endswith("s"):
            return None
        return UNIT_DAYS[word] * (2 if word.endswith("s") else 1)  # "months" >= 2
    if kind == "clinical":  # nurses' shorthand: 10/7 days, 3/52 weeks, 2/12 months
        return int(m["n"]) * {"7": 1, "52": 7, "12": 30}[m["per"]]
    if kind == "and a half":
        return UNIT_DAYS[m["unit"].lower()] * 1.5
    if kind == "day n":
        return float(m["n"])
    if kind == "this week":
        return today.weekday() + 1  # since Monday, counting today
    if kind == "weekday":
        back = (today.weekday() - WEEKDAYS.index(m["wd"].lower()[:3])) % 7
        return back or 7  # "since Tuesday" said on a Tuesday means a week ago
    if kind == "month":
        month = MONTHS.index(m["mon"].lower()[:3]) + 1
        year = today.year
        if month > today.month or (m["last"] and month == today.month):
            year -= 1  # the most recent one that has already started
        return (today - datetime.date(year, month, 1)).days  # from the 1st: upper
    days = (today - datetime.date(int(m["year"]), 1, 1)).days  # kind == "year"
    return days if days > 0 else None


def _near_onset_cue(text: str, start: int, end: int, twitch: bool = False) -> bool:
    """An onset word (or, with twitch, a twitch word) within the same sentence,
    up to 40 chars either side."""
    left = re.split(r"[.!?;\n]", text[max(0, start - 40) : start])[-1]
    right = re.split(r"[.!?;\n]", text[end : end + 40])[0]
    near = f"{left} {text[start:end]} {right}"
    return bool(_ONSET_CUE.search(near) or (twitch and _TWITCH_CUE.search(near)))


def _alone_in_sentence(text: str, start: int, end: int) -> bool:
    """Nothing else in its sentence: "left cheek. today." answers when."""
    left, right = sentence_around(text, start, end)
    return not (left + right).strip(" ,")


def _accept(text, start, end, unit_days, future=False, bare=False) -> bool:
    """False when the context makes the candidate a frequency, episode, age..."""
    before, after = text[:start], text[end:]
    if _FREQ_BEFORE.search(before) or _AGE_AFTER.match(after):
        return False
    if unit_days >= 30 and _AGE_BEFORE.search(before):
        return False
    # "a month ago a twitch started": a point in time, not "2 seconds a twitch"
    freq = (
        None
        if re.search(r"\bago$", text[start:end], re.I)
        else _FREQ_AFTER.match(after)
    )
    # "3 days a week" is a frequency; "2 weeks every night" is still 2 weeks.
    if freq and (not freq["per"] or UNIT_DAYS.get(freq["per"].lower(), 1) > unit_days):
        return False
    if unit_days < 1 and (
        _EPISODE_BEFORE.search(before) or _EPISODE_AFTER.match(after)
    ):
        return False
    if future and _FUTURE_BEFORE.search(before):
        return False
    chat_for = unit_days >= 7 and _CHAT_FOR_BEFORE.search(before)
    return not bare or bool(
        _ARTICLE_OK_BEFORE.search(before) or _ARTICLE_OK_AFTER.match(after) or chat_for
    )


def find_durations(
    text: str, today: datetime.date | None = None
) -> list[DurationMatch]:
    """Every "how long so far" phrase in the text, in order, without overlaps."""
    today = today or datetime.date.today()
    found = []  # (start, end, days)
    # "x2 wks": nurses' and texters' "times" in front of a number
    spaced = re.sub(r"(?<!\w)x(?=\d)", " ", text, flags=re.I)
    for m in _DURATION.finditer(spaced):
        unit = UNIT_DAYS[m["unit"].lower()]
        if m["unit"].lower() == "d" and not m["q1"][0].isdigit():
            continue  # "3d" is 3 days; a lone "d" after a word is not a unit
        if m.group().lower() == "2day" and not re.match(r"\s*ago\b", text[m.end() :]):
            continue  # chat for "today" (the anchors read it); "2day ago" is 2 days
        amount = max(_quantity(g) for g in (m["q1"], m["q2"], m["alt"]) if g)
        days = (amount + (0.5 if m["half"] else 0)) * unit
        if m["unit3"]:
            days += _quantity(m["q3"] or m["q4"]) * UNIT_DAYS[m["unit3"].lower()]
        qual = m["qual"].strip().lower()
        if m["unit"].lower() == "weak" and (
            # ("for about a weak i haven't slept": a week)
            re.match(r"\s*(?!(?:i|and|n|now|but|so|or)\b)[a-z]", text[m.end() :], re.I)
            or not (qual or m["q1"][0].isdigit())
        ):
            continue  # "a weak smile" is weakness; "about a weak," is a week
        if qual.startswith("last") and not _SO_FAR_BEFORE_LAST.search(
            text[: m.start()]
        ):
            continue  # "they last 20 seconds" is an episode; "twitching last 20 min" is not
        extras = m["q2"] or m["half"] or m["alt"] or m["unit3"] or m["ago"]
        bare = m["q1"].lower() in ("a", "an") and qual in ("", "like") and not extras
        if _MODIFIER_AFTER.match(text[m.end() :]):
            continue
        if _accept(text, m.start(), m.end(), unit, future=not qual, bare=bare):
            found.append((m.start(), m.end(), days))
    said_today = _TODAY_IS.search(text)
    if said_today and said_today["wd"]:
        named = WEEKDAYS.index(said_today["wd"].lower()[:3])
        today -= datetime.timedelta(days=(today.weekday() - named) % 7)
    if said_today and said_today["dom"]:
        now = int(said_today["dom"])
        for m in _ON_DAY_OF_MONTH.finditer(text):
            then = int(m["dom"])
            if 1 <= then <= 31 and then != now:
                found.append(
                    (m.start(), m.end(), now - then if now > then else now + 30 - then)
                )
    for pattern, kind, needs_cue in _ANCHORS:
        for m in pattern.finditer(text):
            if (
                said_today
                and m.start() < said_today.end()
                and said_today.start() < m.end()
            ):
                continue  # "today is Thursday" names today, not when it began
            days = _anchor_days(kind, m, today)
            if days is None or (
                needs_cue
                and text.strip(" .!?,").lower() != m.group().lower()  # the whole answer
                and not _alone_in_sentence(text, m.start(), m.end())
                and not _near_onset_cue(
                    text, m.start(), m.end(), twitch=needs_cue == "twitch"
                )
            ):
                continue
            if _accept(text, m.start(), m.end(), days):
                found.append((m.start(), m.end(), days))
    recurring = is_recurring(text)
    matches, last_end = [], -1
    # Earliest first, longest first at the same start; drop anything overlapping.
    for start, end, days in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
        if start >= last_end:
            matches.append(
                DurationMatch(start, end, text[start:end], float(days), recurring)
            )
            last_end = end
    return matches


def parse_duration_days(text: str, today: datetime.date | None = None) -> float | None:
    """The longest duration mentioned (under-estimating is the unsafe error)."""
    return max((m.days for m in find_durations(text, today)), default=None)


# "Keeps coming back" in the articles' sense: episodes that return over time,
# not a twitch that flickers on and off within a few days.
RETURNS_AFTER_DAYS = 14
_RETURNS = re.compile(
    rf"""\b(?:(?:keeps?|kept)\s+(?:coming\s+ba(?:ck|k)|returning|recurring)
    |com(?:es|ing)\s+ba(?:ck|k)|came\s+back(?!\s+(?:low|high|normal|fine|clear|ok|okay|negative|positive))
    |recurr\w*|recurs
    |every\s+(?:few|couple(?:\s+of)?|other|several|{_NUM})\s+{_LONG_UNIT})""",
    re.I | re.X,
)


def keeps_coming_back(text: str, days: float) -> bool:
    """Recurring in the sense of the triage rule: on and off for weeks, or said
    to come back."""
    return is_recurring(text) and (
        days >= RETURNS_AFTER_DAYS or bool(_RETURNS.search(text))
    )


def recurring_span(text: str) -> tuple[int, int] | None:
    """Where the text says the symptom comes and goes, if it does."""
    m = _RECURRING.search(text)
    return m.span() if m else None


def is_recurring(text: str) -> bool:
    """Does the text say the symptom comes and goes rather than being constant?"""
    return bool(_RECURRING.search(text))
