"""Checks for the symptom-guidance content file bot/clinical/content/guidance.yml.

The content is written in the project's own words from two source articles
kept in ../shared/seeds/ (relative to the repository root).  These tests check
the schema, that sources and sections are real, that no fact copies a run of
six or more words from a source article, that every fact reads at grade 8 or
below (Flesch-Kincaid), and that the required kinds/topics are covered.
"""

import re
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
GUIDANCE = REPO_ROOT / "bot" / "clinical" / "content" / "guidance.yml"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"

KINDS = {"cause", "trigger", "relief", "red_flag", "when_to_seek_care", "explanation"}
TOPICS = {
    "myokymia",
    "hemifacial_spasm",
    "synkinesis",
    "facial_nerve",
    "bells_palsy",
    "stress",
    "sleep",
    "caffeine",
    "dehydration",
    "magnesium",
    "relief",
    "seek_care",
    "blink_link",
}
TRIGGER_TOPICS = ["stress", "sleep", "caffeine", "dehydration", "magnesium"]
FACT_KEYS = {"id", "kind", "topic", "text", "source", "section", "keywords"}
SOURCE_KEYS = {"id", "title", "publisher", "file", "date_read", "sections"}
# Sections that are not headings in the article itself:
#  - the article's opening paragraph, before any heading;
#  - the doctor's reply on the question-and-answer page (which has no headings).
PSEUDO_SECTIONS = {
    "cheek_spasm_article": {"Introduction"},
    "zocdoc_blink_answer": {"Doctor's answer", "Notice under the answer"},
}
NGRAM = 6
MAX_GRADE = 8.0


# --------------------------------------------------------------------------
# helpers (kept dependency-free on purpose)
# --------------------------------------------------------------------------
def words_for_overlap(text):
    """Lower-case word tokens, punctuation ignored, apostrophes dropped."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def ngrams(tokens, n=NGRAM):
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def shared_runs(text, article_text, n=NGRAM):
    """Runs of n consecutive words that `text` shares with `article_text`."""
    return sorted(
        " ".join(g)
        for g in ngrams(words_for_overlap(text), n)
        & ngrams(words_for_overlap(article_text), n)
    )


def count_syllables(word):
    """Rough English syllable count (vowel groups, minus a silent final e)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]+", w)))


def _words(text):
    return re.findall(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*|\d+", text)


def _sentences(text):
    parts = [p for p in re.split(r"[.!?]+", text) if _words(p)]
    return max(1, len(parts))


def fk_grade(text):
    """Flesch-Kincaid grade level."""
    words = _words(text)
    if not words:
        return 0.0
    syl = sum(count_syllables(w) for w in words)
    return 0.39 * len(words) / _sentences(text) + 11.8 * syl / len(words) - 15.59


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def content():
    assert GUIDANCE.is_file(), f"missing {GUIDANCE}"
    with GUIDANCE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def sources(content):
    return {s["id"]: s for s in content["sources"]}


@pytest.fixture(scope="module")
def facts(content):
    return content["facts"]


@pytest.fixture(scope="module")
def article_texts(sources):
    if not SEEDS.is_dir():
        pytest.skip(f"source articles folder not found: {SEEDS}")
    return {
        sid: (SEEDS / s["file"]).read_text(encoding="utf-8")
        for sid, s in sources.items()
    }


# --------------------------------------------------------------------------
# the helpers themselves must be able to catch problems
# --------------------------------------------------------------------------
def test_helper_detects_copied_run():
    article = "Applying a warm compress to the affected area helps relax the muscle."
    assert shared_runs("Tip: applying a WARM compress, to the affected area!", article)
    assert not shared_runs("Put a warm cloth on the spot.", article)
    # five shared words are allowed, six are not
    assert not shared_runs("a warm compress to the spot", article)
    assert shared_runs("a warm compress to the affected", article)


def test_helper_syllables():
    expected = {
        "cat": 1,
        "water": 2,
        "relax": 2,
        "muscle": 2,
        "twitching": 2,
        "caffeine": 2,
        "dehydration": 4,
        "meditation": 4,
        "cheek": 1,
    }
    for word, n in expected.items():
        assert count_syllables(word) == n, word


def test_helper_grade_separates_easy_from_hard():
    easy = "Drink water. Get some sleep. Rest your eyes."
    hard = (
        "Psychological strain increases the release of neurotransmitters that "
        "enhance nerve excitability, leading to the erratic firing of motor "
        "neurons that causes the visible spasm."
    )
    assert fk_grade(easy) <= MAX_GRADE
    assert fk_grade(hard) > MAX_GRADE


# --------------------------------------------------------------------------
# schema
# --------------------------------------------------------------------------
def test_top_level(content):
    assert content.get("version") == 1
    assert isinstance(content.get("sources"), list) and content["sources"]
    assert isinstance(content.get("facts"), list)


def test_sources_schema(content):
    ids = [s.get("id") for s in content["sources"]]
    assert len(ids) == len(set(ids)), "duplicate source ids"
    for s in content["sources"]:
        assert SOURCE_KEYS <= set(
            s
        ), f"source {s.get('id')} missing {SOURCE_KEYS - set(s)}"
        for key in ("id", "title", "publisher", "file", "date_read"):
            assert isinstance(s[key], str) and s[key].strip(), (s["id"], key)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", s["date_read"]), s["id"]
        assert isinstance(s["sections"], list)
        assert all(isinstance(x, str) and x.strip() for x in s["sections"])
        assert len(s["sections"]) == len(set(s["sections"]))


def test_fact_count(facts):
    assert 30 <= len(facts) <= 50, len(facts)


def test_facts_schema(facts, sources):
    ids = [f.get("id") for f in facts]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"duplicate fact ids: {dupes}"
    for f in facts:
        fid = f.get("id")
        assert FACT_KEYS <= set(f), f"{fid} missing {FACT_KEYS - set(f)}"
        assert isinstance(fid, str) and re.fullmatch(
            r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", fid
        ), fid
        assert f["kind"] in KINDS, (fid, f["kind"])
        assert f["topic"] in TOPICS, (fid, f["topic"])
        assert isinstance(f["text"], str) and f["text"].strip(), fid
        assert f["source"] in sources, (fid, f["source"])
        allowed = set(sources[f["source"]]["sections"]) | PSEUDO_SECTIONS.get(
            f["source"], set()
        )
        assert f["section"] in allowed, (fid, f["section"], sorted(allowed))
        kw = f["keywords"]
        assert isinstance(kw, list) and kw, fid
        assert all(isinstance(k, str) and k.strip() for k in kw), fid


def test_fact_text_is_one_to_three_sentences(facts):
    for f in facts:
        n = _sentences(f["text"])
        assert 1 <= n <= 3, (f["id"], n)


def test_no_diagnosis_language(facts):
    pattern = re.compile(
        r"\byou (?:have|'ve got|have got)\b|\byou(?:'|\u2019)ve got\b", re.I
    )
    for f in facts:
        assert not pattern.search(f["text"]), f["id"]


def test_no_doses_or_percentages(facts):
    # the articles give no doses, amounts or percentages, so neither may we
    pattern = re.compile(r"%|\bpercent\b|\d+\s*(?:mg|g|ml|mcg|iu)\b", re.I)
    for f in facts:
        assert not pattern.search(f["text"]), f["id"]


# --------------------------------------------------------------------------
# sources are real
# --------------------------------------------------------------------------
def test_source_files_exist(sources):
    if not SEEDS.is_dir():
        pytest.skip(
            f"source articles folder not found: {SEEDS} "
            "(shared/seeds is expected next to the repository)"
        )
    for s in sources.values():
        assert (SEEDS / s["file"]).is_file(), s["file"]


def test_sections_are_real_headings_in_order(sources, article_texts):
    for sid, s in sources.items():
        lines = [ln.strip() for ln in article_texts[sid].splitlines()]
        positions = []
        for heading in s["sections"]:
            assert heading in lines, f"{sid}: heading {heading!r} not found as a line"
            positions.append(lines.index(heading))
        assert positions == sorted(positions), f"{sid}: sections out of order"


def test_titles_match_articles(sources, article_texts):
    for sid, s in sources.items():
        assert s["title"].lower() in article_texts[sid].lower(), sid


# --------------------------------------------------------------------------
# own words, plain language
# --------------------------------------------------------------------------
def test_no_six_word_runs_copied(facts, article_texts):
    problems = []
    for f in facts:
        # the fact's own article, and for safety the other article too
        for sid, text in article_texts.items():
            runs = shared_runs(f["text"], text)
            if runs:
                problems.append((f["id"], sid, runs))
    assert not problems, problems


def test_reading_grade(facts):
    too_hard = [
        (f["id"], round(fk_grade(f["text"]), 1))
        for f in facts
        if fk_grade(f["text"]) > MAX_GRADE
    ]
    assert not too_hard, too_hard


# --------------------------------------------------------------------------
# coverage
# --------------------------------------------------------------------------
def test_every_kind_and_topic_used(facts):
    assert KINDS - {f["kind"] for f in facts} == set()
    assert TOPICS - {f["topic"] for f in facts} == set()


@pytest.mark.parametrize("topic", TRIGGER_TOPICS)
def test_each_trigger_has_trigger_and_relief_fact(facts, topic):
    kinds = {f["kind"] for f in facts if f["topic"] == topic}
    assert "trigger" in kinds, f"no trigger fact for {topic}"
    assert "relief" in kinds, f"no relief fact addressing {topic}"


def test_both_sources_used(facts, sources):
    assert set(sources) <= {f["source"] for f in facts}
