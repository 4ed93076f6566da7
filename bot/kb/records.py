"""Rows derived from conversations, and forgetting a person."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from bot.kb.schema import TriageRecord


def record_triage(
    session: Session, sender_id: str, level: str, rules: list[str]
) -> None:
    session.add(
        TriageRecord(
            sender_id=sender_id,
            level=level,
            rules=",".join(rules),
            created_at=dt.datetime.utcnow(),
        )
    )


def forget(session: Session, sender_id: str) -> dict[str, int]:
    """Delete everything stored for one conversation. Returns rows per table."""
    deleted = {}
    if _has_table(session, "triage_records"):
        deleted["triage_records"] = session.execute(
            delete(TriageRecord).where(TriageRecord.sender_id == sender_id)
        ).rowcount
    # Rasa's SQL tracker store keeps every event in the table "events".
    if _has_table(session, "events"):
        deleted["events"] = session.execute(
            text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id}
        ).rowcount
    return deleted


def _has_table(session: Session, name: str) -> bool:
    return session.get_bind().dialect.has_table(session.connection(), name)


def count_rows(session: Session, sender_id: str) -> dict[str, int]:
    out = {}
    if _has_table(session, "triage_records"):
        out["triage_records"] = session.execute(
            text("SELECT COUNT(*) FROM triage_records WHERE sender_id = :s"),
            {"s": sender_id},
        ).scalar_one()
    if _has_table(session, "events"):
        out["events"] = session.execute(
            text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender_id}
        ).scalar_one()
    return out
