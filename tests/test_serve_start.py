"""bot/server/serve.py's start: a database that is still starting gets a few
seconds; one that stays down ends the start with a clear error (exit 2)."""

import pytest

from bot.server import serve


def test_a_database_that_comes_up_late_is_waited_for(monkeypatch):
    answers = iter(["OperationalError: connection refused", None])
    calls = []

    def check(url):
        calls.append(url)
        return next(answers)

    monkeypatch.setattr(serve, "check_database", check)
    monkeypatch.setattr(serve.time, "sleep", lambda s: None)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1:1/db")

    class Started(Exception):
        pass

    def stop_after_the_check(url):  # the next step after the database check
        raise Started

    monkeypatch.setattr("bot.kb.db.upgrade", stop_after_the_check)
    with pytest.raises(Started):
        serve.main()
    assert len(calls) == 2


def test_a_database_that_stays_down_ends_the_start(monkeypatch, capsys):
    monkeypatch.setattr(
        serve, "check_database", lambda url: "OperationalError: refused"
    )
    monkeypatch.setattr(serve, "DB_WAIT_SECONDS", 0)
    monkeypatch.setenv("DATABASE_URL", "postgresql://user:secret@127.0.0.1:1/db")
    with pytest.raises(SystemExit) as stopped:
        serve.main()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "cannot reach the database" in err and "secret" not in err
