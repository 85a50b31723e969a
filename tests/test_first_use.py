"""First use of a brand-new database under a crowd: processes opening an empty PostgreSQL at the same moment
(one makes the schema, the others wait for it and go on; no "duplicate key ... pg_type_typname_nsp_index"),
and parallel pastes of one article (one thread)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.triage import TriageService
from storage import db as storage_db

PROCESSES = 8
EXAMPLE = Path(__file__).parents[1] / "examples" / "grain-corridor.txt"
ARTICLE_TEXT = EXAMPLE.read_text(encoding="utf-8")

FIRST_USE = textwrap.dedent(
    """
    import os, sys, time
    from bot.database import session_factory_for
    from bot.errors import UserFacingError
    from storage.threads import get_thread

    start = sys.argv[2]
    open(f"{start}.{os.getpid()}", "w").close()  # imported and ready
    while not os.path.exists(start):  # every process is imported and waiting before any of them begins
        time.sleep(0.005)
    try:
        with session_factory_for(sys.argv[1])() as session:
            get_thread(session, 1)
        print("ok")
    except UserFacingError as exc:
        print(exc.sentence)
    """
)


@pytest.mark.postgres
def test_parallel_first_uses_of_an_empty_postgres_database_all_succeed(
    empty_postgres_url: str, tmp_path: Path
) -> None:
    start = tmp_path / "start"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", FIRST_USE, empty_postgres_url, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "FACTDESK_AUTO_MIGRATE": "0"},
        )
        for _ in range(PROCESSES)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("start.*"))) < PROCESSES and time.monotonic() < deadline:
        time.sleep(0.05)
    start.touch()
    answers = [child.communicate(timeout=90) for child in children]
    assert [(out.strip(), err) for out, err in answers] == [("ok", "")] * PROCESSES
    engine = storage_db.make_engine(empty_postgres_url)
    try:
        assert storage_db.current_revision(engine) == storage_db.head_revision()
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def first_use_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'first.db'}"
    return request.getfixturevalue("empty_postgres_url")


def test_parallel_first_triages_of_one_article_make_one_thread(first_use_url: str) -> None:
    """Eight pastes of one article at once into a brand-new database: one thread, every paste told it."""
    service = TriageService(Settings(database_url=first_use_url, extractor="offline"))
    service.offline.extract(ARTICLE_TEXT)  # load the model before the race, so the pastes overlap
    start = threading.Barrier(8)

    def paste(n: int) -> str | None:
        start.wait()
        actor = Actor(platform="slack", user_id=f"U{n}", display=f"user{n}")
        report = service.triage(
            ARTICLE_TEXT, actor=actor, place=Place(platform="slack", workspace="T1", channel="C1")
        )
        return report.thread_ref

    with ThreadPoolExecutor(8) as pool:
        refs = list(pool.map(paste, range(8)))
    assert len(set(refs)) == 1 and refs[0] is not None
