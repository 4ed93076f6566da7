"""Knowledge base: migrations, content loading, retrieval quality, ingestion,
forget-me rows, and the why/summary texts. No Rasa needed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, inspect, select, text

from bot.clinical.explain import summary, why_advice
from bot.clinical.guidance import CONTENT_PATH
from bot.kb import db
from bot.kb.answer import reply_for
from bot.kb.content import load_content
from bot.kb.evaluate import evaluate, load_questions
from bot.kb.ingest import ingest, parse
from bot.kb.records import count_rows, forget, record_triage
from bot.kb.schema import Fact, Passage, Section, Source
from bot.kb.search import KnowledgeBase

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture()
def url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    db.upgrade(url)
    with db.session_scope(url) as session:
        load_content(session)
    return url


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}"
    db.upgrade(url)
    with db.session_scope(url) as session:
        load_content(session)
    return KnowledgeBase(url)


# ------------------------------------------------------------------ schema


def test_migration_creates_tables_and_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    db.upgrade(url)
    db.upgrade(url)
    assert db.current_revision(url) == "0002"
    tables = set(inspect(db.engine_for(url)).get_table_names())
    assert {"kb_sources", "kb_sections", "kb_facts", "kb_passages", "kb_search",
            "kb_search_fts", "triage_records", "channel_deliveries"} <= tables  # fmt: skip


def test_downgrade_then_upgrade_round_trip(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    db.upgrade(url)
    db.downgrade(url, "base")
    assert "kb_facts" not in inspect(db.make_engine(url)).get_table_names()
    db.upgrade(url)
    assert db.current_revision(url) == "0002"


def test_content_load_matches_the_file_and_is_idempotent(url):
    spec = yaml.safe_load(CONTENT_PATH.read_text(encoding="utf-8"))
    with db.session_scope(url) as session:
        assert load_content(session) is False  # unchanged file: nothing written
        assert session.scalar(select(func.count()).select_from(Fact)) == len(
            spec["facts"]
        )
        kinds = set(session.scalars(select(Fact.kind)))
        assert kinds <= {"cause", "trigger", "relief", "red_flag",
                         "when_to_seek_care", "explanation"}  # fmt: skip
        sources = {s.key: s for s in session.scalars(select(Source))}
        assert set(sources) == {s["id"] for s in spec["sources"]}
        assert all(s.date_read for s in sources.values())
        sections = set(session.scalars(select(Section.title)))
        assert "When to Seek Medical Attention" in sections


def test_edited_content_updates_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'e.db'}"
    db.upgrade(url)
    copy = tmp_path / "guidance.yml"
    shutil.copy(CONTENT_PATH, copy)
    with db.session_scope(url) as session:
        load_content(session, copy)
    spec = yaml.safe_load(copy.read_text(encoding="utf-8"))
    spec["facts"][0]["text"] = "Edited text about zebrafinch twitching."
    removed = spec["facts"].pop()["id"]
    copy.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with db.session_scope(url) as session:
        assert load_content(session, copy) is True
        first = session.scalar(select(Fact).where(Fact.key == spec["facts"][0]["id"]))
        assert first.text.startswith("Edited")
        assert session.scalar(select(Fact).where(Fact.key == removed)) is None
        first_key = first.key
    assert (
        KnowledgeBase(url).search("tell me about zebrafinch").hits[0].key == first_key
    )


# ------------------------------------------------------------------ retrieval

# Measured top-1 accuracy and share of out-of-scope questions refused (see
# README, 2026-12-01, lexical + meaning); floors sit a little below so a
# regression fails while the numbers stay honest.
QUESTION_SETS = [
    ("kb_dev_questions.yml", 0.95, 1.0),  # the lead's tuning set: 100 %, 4/4
    ("kb_questions.yml", 0.94, 0.95),  # independent set 1, tuned on: 95.5 %, 20/20
    ("kb_questions_holdout2.yml", 0.95, 0.93),  # never tuned on: 96.5 %, 15/15
    # Lay questions labelled from the articles alone (article and section),
    # measured 2026-12-02 (top-1 over all questions, refused):
    ("lay_questions_tune.yml", 0.91, 0.95),  # tuning part: 92.9 %, 22/22
    ("lay_questions_tune2.yml", 0.91, 0.96),  # second tuning batch: 93.1 %, 30/30
    ("lay_questions_tune3.yml", 0.95, 0.95),  # third: 96.7 %, 39/40
    ("lay_questions_tune4.yml", 0.89, 0.95),  # fourth: 90.0-91.5 %, 39/40
    (
        "lay_questions_tune5.yml",
        0.93,
        0.95,
    ),  # fifth: 94.7 %, 39/40 (89.3 % at first run)
    ("lay_questions_tune6.yml", 0.94, 0.95),  # sixth: 96.0 %, 40/40 (88.7 % first)
    ("lay_questions_tune7.yml", 0.92, 0.95),  # seventh: 93.3 %, 39/40 (88.0 % first)
    ("lay_questions_tune8.yml", 0.93, 0.95),  # eighth: 94.0 %, 39/40 (92.0 % first)
    ("lay_questions_tune9.yml", 0.92, 0.95),  # ninth: 94.7 %, 48/50 (92.0 % first)
    ("lay_questions_tune10.yml", 0.94, 0.98),  # tenth: 96.0 %, 60/60 (93.3 % first)
    ("lay_questions_tune11.yml", 0.86, 0.86),  # eleventh: 88.0 %, 44/50 (83.3 % first)
    # twelfth, mostly near-misses: 96.0 %, 72/75 (86.7 %, 58/75 at its first run)
    ("lay_questions_tune12.yml", 0.94, 0.94),
    # thirteenth, half near-misses: 92.7 %, 70/75 (88.0 %, 62/75 at its first run)
    ("lay_questions_tune13.yml", 0.92, 0.92),
    # fourteenth, 80 out of scope: 93.3 %, 76/80 (83.3 %, 61/80 at its first run)
    ("lay_questions_tune14.yml", 0.92, 0.93),
    (
        "lay_questions_holdout7.yml",
        0.94,
        0.94,
    ),  # never tuned on, run once: 95.0 %, 33/35
    ("lay_questions_holdout.yml", 0.87, 0.88),  # never tuned on: 87.7 %, 16/18
    ("lay_questions_holdout2.yml", 0.93, 0.95),  # never tuned on: 94.2 %, 40/40
    (
        "lay_questions_holdout3.yml",
        0.85,
        0.85,
    ),  # never tuned on: 86.4 %, 27/30 (82.7 %, 25/30 at its first run)
    (
        "lay_questions_holdout4.yml",
        0.93,
        0.90,
    ),  # never tuned on: 95.0 %, 33/35
    (
        "lay_questions_holdout5.yml",
        0.93,
        0.90,
    ),  # never tuned on, run once: 94.2 %, 32/35
    # sixth holdout, written 2026-12-02 and run once, never read: 95.0 %, 33/35
    ("lay_questions_holdout6.yml", 0.93, 0.91),
]


@pytest.mark.parametrize("name, floor, refused_floor", QUESTION_SETS)
def test_top1_accuracy(kb, name, floor, refused_floor):
    report = evaluate(kb, load_questions(DATA / name))
    print(f"\n{name}: " + " | ".join(report.lines()))
    assert report.accuracy >= floor, report.errors[:10] if "holdout" not in name else ""
    refused = report.unanswerable_correct / report.unanswerable
    assert refused >= refused_floor


@pytest.mark.parametrize(
    "question, expected",
    [
        ("what is hemifacial spasm?", "hfs_what_it_is"),
        ("which nerve controls the face", "facial_nerve_role"),
        ("can coffee do this?", {"trigger_caffeine", "relief_cut_caffeine"}),
        ("why does it twitch when I blink?", {"blink_shared_nerve_supply", "blink_branch_crossover"}),
        ("how do I make it stop", {"relief_warm_compress", "relief_massage", "relief_mouth_stretch", "relief_fix_triggers"}),
        ("wtf is synkinesis", {"synkinesis_what_it_is", "synkinesis_after_bells_palsy"}),
    ],
)  # fmt: skip
def test_named_questions_get_the_right_fact(kb, question, expected):
    answer = kb.search(question)
    assert answer.found
    expected = {expected} if isinstance(expected, str) else expected
    assert answer.hits[0].key in expected


@pytest.mark.parametrize(
    "question",
    ["what's the capital of france", "can I take botox for this",
     "is twitching contagious", "how much does an MRI cost",
     # amounts the articles do not give ("the most common one" is no amount)
     "how many cups of coffee a day is too much?", "exactly how many days until it stops?"],
)  # fmt: skip
def test_questions_outside_the_articles_are_not_answered(kb, question):
    messages, answer = reply_for(kb, question)
    assert not answer.found
    assert "won't guess" in messages[-1] or "don't cover" in messages[-1]


# The articles say what hemifacial spasm and synkinesis are, not what eases or
# worsens them: a question pairing one with anything else needs a fact on both.
@pytest.mark.parametrize(
    "question, expected",
    [("can anxiety bring on hemifacial spasm?", None),
     ("is a heat pack good for synkinesis?", None),
     ("does hemifacial spasm carry on when you're asleep?", None),
     ("does hemifacial spasm spread to the neck?", "hfs_spread_pattern"),
     ("can bell's palsy leave my cheek moving when I smile?", "synkinesis_after_bells_palsy")],
)  # fmt: skip
def test_a_named_condition_and_something_else_need_a_fact_on_both(
    kb, question, expected
):
    answer = kb.search(question)
    assert answer.found == (expected is not None)
    assert expected is None or answer.hits[0].key == expected


def test_how_long_something_takes_needs_a_fact_with_a_time(kb):
    assert not kb.search(
        "how long does it take for magnesium to work on a twitch?"
    ).found
    answer = kb.search("how long until a normal twitch goes away?")
    assert answer.found and answer.hits[0].key == "myokymia_usually_harmless"


# A detail asked in a shape of its own (both sides at once, how fast, whether it
# can kill, whether it is permanent, when in the day) needs a fact giving it.
@pytest.mark.parametrize(
    "question, missing",
    [("my left and right eyelids both flicker at the same time, why?", "both sides at once"),
     ("how quickly will cutting out energy drinks calm my twitch?", "how fast"),
     ("can a face spasm actually kill you?", "life-threatening"),
     ("will this leave my cheek permanently twitchy?", "permanent"),
     ("why is it always worse in the evening?", "when in the day"),
     ("is a heat pack better than a massage for it?", "works better"),
     ("does magnesium have side effects?", "side effects"),
     ("how does caffeine excite the nerve, step by step?", "detail")],
)  # fmt: skip
def test_a_detail_the_articles_do_not_give_is_refused_by_name(kb, question, missing):
    messages, answer = reply_for(kb, question)
    assert not answer.found
    assert missing in (answer.not_covered or "") and "don't cover" in messages[-1]


def test_a_detail_shape_is_still_answered_when_the_fact_gives_it(kb):
    answer = kb.search("how soon should I see a doctor about a twitch?")
    assert answer.found


def test_an_amount_the_articles_give_is_answered(kb):
    messages, answer = reply_for(kb, "how long should I hold the mouth stretch for?")
    assert answer.found and "few seconds" in messages[0]


def test_answer_is_short_and_names_its_source(kb):
    messages, answer = reply_for(kb, "what is synkinesis")
    assert answer.found
    assert len(messages[0].split()) <= 90
    assert messages[-1].startswith("Source: ")
    assert "Why Is My Cheek Spasming" in messages[-1]
    assert "not a diagnosis" in messages[-1]


@pytest.mark.parametrize("question", ["should I be worried?", "is this serious?"])
def test_a_worried_question_gets_a_balanced_answer(kb, question):
    messages, answer = reply_for(kb, question)
    assert answer.found
    assert "harmless" in messages[0] and "several weeks" in messages[0]
    assert "“Introduction”" in messages[-1] and "When to Seek" in messages[-1]


def test_stroke_question_gets_the_emergency_line_first(kb):
    messages, _ = reply_for(kb, "is drooping on one side a sign of stroke?")
    assert "911" in messages[0]


# ------------------------------------------------------------------ ingestion

ARTICLE_MD = """# Screen time and eyelid twitching

Long hours at a monitor strain the eyes. Eye strain is often named as a trigger
for eyelid twitching in office workers.

## Breaks

Looking at something far away every twenty minutes lets the eye muscles rest.
"""


def test_ingested_markdown_article_becomes_answerable(url, tmp_path):
    kb = KnowledgeBase(url)
    question = "can long hours at a monitor cause eyelid twitching"
    assert kb.search(question).hits[0].doc_type == "fact"  # before: not there
    path = tmp_path / "screens.md"
    path.write_text(ARTICLE_MD, encoding="utf-8")
    with db.session_scope(url) as session:
        source = ingest(session, path, publisher="Example Clinic")
        assert source.title == "Screen time and eyelid twitching"
    messages, answer = reply_for(kb, question)
    assert answer.found and answer.hits[0].doc_type == "passage"
    assert "monitor" in messages[0]
    assert 'Example Clinic, "Screen time and eyelid twitching"' in messages[-1]
    # Re-ingesting replaces instead of duplicating.
    with db.session_scope(url) as session:
        ingest(session, path, publisher="Example Clinic")
        assert session.scalar(select(func.count()).select_from(Passage)) == 2


def test_ingest_html_strips_markup_and_scripts(url, tmp_path):
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>Jaw clenching</title><script>alert(1)</script></head>"
        "<body><h2>Night grinding</h2><p>Grinding the teeth at night can tire "
        "the <b>jaw muscles</b>.</p><nav>menu</nav></body></html>",
        encoding="utf-8",
    )
    with db.session_scope(url) as session:
        source = ingest(session, path)
        passages = session.scalars(
            select(Passage.text).where(Passage.source_id == source.id)
        ).all()
        assert source.title == "Jaw clenching"
    assert passages == ["Grinding the teeth at night can tire the jaw muscles."]
    assert KnowledgeBase(url).search("does grinding teeth at night tire the jaw").found


def test_seed_keys_cannot_be_overwritten(url, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Title\n\nSome text here.", encoding="utf-8")
    with db.session_scope(url) as session, pytest.raises(ValueError):
        ingest(session, path, key="cheek_spasm_article")


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")
def test_plain_text_headings_are_found_in_the_seed_article():
    raw = (SEEDS / "why-is-my-cheek-spasming.txt").read_text(encoding="utf-8")
    article = parse(raw, "text")
    assert article.title == "Why Is My Cheek Spasming? Causes and Relief"
    assert [s for s, _ in article.sections] == [
        "Introduction",
        "The Most Common Triggers",
        "Specific Nerve-Related Causes",
        "Immediate Relief and Home Management",
        "When to Seek Medical Attention",
    ]


# ------------------------------------------------------------------ forget-me


def _forget_roundtrip(url: str) -> None:
    engine = db.engine_for(url)
    key = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
    with engine.begin() as conn:  # a minimal Rasa-like events table
        conn.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS events (id {key} PRIMARY KEY, "
                "sender_id VARCHAR(255), type_name VARCHAR(255), data TEXT)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO events (sender_id, type_name, data) VALUES "
                "('alice', 'user', '{}'), ('alice', 'bot', '{}'), ('bob', 'user', '{}')"
            )
        )
    with db.session_scope(url) as session:
        record_triage(session, "alice", "urgent", ["spreading"])
        record_triage(session, "bob", "self_care", [])
    with db.session_scope(url) as session:
        assert count_rows(session, "alice") == {"triage_records": 1, "events": 2}
        deleted = forget(session, "alice")
    assert deleted == {"triage_records": 1, "events": 2}
    with db.session_scope(url) as session:
        assert count_rows(session, "alice") == {"triage_records": 0, "events": 0}
        assert count_rows(session, "bob") == {"triage_records": 1, "events": 1}


def test_forget_deletes_rows_in_sqlite(url):
    _forget_roundtrip(url)


def test_forget_deletes_rows_in_postgresql(postgres_url):
    url = postgres_url
    db.downgrade(url, "base")
    db.upgrade(url)
    with db.engine_for(url).begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS events"))
    _forget_roundtrip(url)
    # The PostgreSQL full-text path answers too.
    with db.session_scope(url) as session:
        load_content(session)
    assert KnowledgeBase(url).search("what is hemifacial spasm?").hits[0].key == (
        "hfs_what_it_is"
    )


# ------------------------------------------------------------------ why / summary


def test_why_advice_names_the_deciding_facts_in_the_persons_terms():
    facts = {"symptom_location": ["cheek", "mouth"], "symptom_side": "left",
             "symptom_spreading": True, "symptom_duration_days": 20.0,
             "facial_weakness": False}  # fmt: skip
    text_ = why_advice(facts)[0]
    assert "urgent" in text_
    assert "spread" in text_ and "left cheek and mouth" in text_
    assert "Rule source: Why Is My Cheek Spasming?" in text_
    assert "about 3 weeks" in text_  # the lower-level reason is noted too
    assert "droop" not in text_.split("Also noted")[0].lower()


def test_why_self_care_lists_what_was_ruled_out():
    facts = {"symptom_location": ["eye"], "symptom_duration_days": 3.0,
             "facial_weakness": False, "symptom_spreading": False}  # fmt: skip
    text_ = why_advice(facts)[0]
    assert "self-care" in text_
    assert "no weakness or drooping" in text_ and "it stays in one spot" in text_
    assert "about 3 days" in text_


def test_summary_has_facts_advice_and_date():
    facts = {"symptom_location": ["eye"], "symptom_side": "right",
             "symptom_duration_days": 30.0, "facial_weakness": False,
             "triggers": ["caffeine"], "unsure_facts": ["pain_or_sensory"]}  # fmt: skip
    text_ = summary(facts, "see_doctor", dt.date(2026, 11, 20))
    assert "20 November 2026" in text_
    assert "right eye" in text_ and "about 4 weeks" in text_
    assert "no weakness or drooping" in text_
    assert "pain or numbness" in text_ and "caffeine" in text_
    assert "see a doctor" in text_ and "lasted two weeks or more" in text_
