"""Many processes opening one brand-new empty PostgreSQL database at the same moment: one makes the schema,
the others wait for it and go on (no "duplicate key ... pg_type_typname_nsp_index")."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from storage import db as storage_db

PROCESSES = 8

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
