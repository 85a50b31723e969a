"""Database fixtures shared by every test that stores something.

`db`, `session_factory` and `desk` run on SQLite and, when FACTDESK_TEST_POSTGRES_URL is set, on
PostgreSQL too (a throwaway database per test run, so parallel runs never collide). The schema is made
once per run with Alembic; each test runs inside an outer transaction that is rolled back at the end
("join the session into an external transaction", with savepoints), so tests never see each other.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.models import (
    ArticleInfo,
    Attribution,
    AttributionKind,
    Claim,
    ClaimKind,
    ExtractorInfo,
    NameIssue,
    Strength,
    TriageReport,
)
from storage import db as storage_db

POSTGRES_ENV = "FACTDESK_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

# A made-up local-news article for desk tests (not the seed article, not a dataset text).
ARTICLE = (
    "Harbour Council approved a budget of $4.2 billion on Tuesday, according to the mayor's office. "
    "Unemployment in the district fell to 3.1% last year, an official said, speaking on condition of anonymity. "
    "The new ferry terminal will open in 2027, Transport Commissioner Ada Mbeki told reporters. "
    "Critics say the council ignored the flood report."
)


def _claim_span(phrase: str) -> tuple[int, int]:
    start = ARTICLE.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def make_report() -> Callable[..., TriageReport]:
    """A TriageReport over ARTICLE whose spans are exact slices; `salt` changes the sha256 for a new thread."""

    def build(salt: str = "", url: str | None = "https://harbour.example/news/budget") -> TriageReport:
        phrases = [
            (
                "Harbour Council approved a budget of $4.2 billion on Tuesday",
                ClaimKind.statistic,
                0.9,
                None,
                "a1",
            ),
            ("Unemployment in the district fell to 3.1% last year", ClaimKind.statistic, 0.8, None, "a2"),
            ("The new ferry terminal will open in 2027", ClaimKind.prediction, 0.6, "Ada Mbeki", None),
        ]
        claims = []
        for i, (phrase, kind, score, speaker, att) in enumerate(phrases, 1):
            start, end = _claim_span(phrase)
            claims.append(
                Claim(
                    id=f"c{i}",
                    text=phrase,
                    start=start,
                    end=end,
                    kind=kind,
                    checkworthiness=score,
                    speaker=speaker,
                    attribution_id=att,
                )
            )
        a1 = _claim_span("according to the mayor's office")
        a2 = _claim_span("speaking on condition of anonymity")
        attributions = [
            Attribution(
                id="a1",
                text=ARTICLE[a1[0] : a1[1]],
                start=a1[0],
                end=a1[1],
                source="mayor's office",
                kind=AttributionKind.named_organisation,
                strength=Strength.moderate,
                reason="named office, no person",
            ),
            Attribution(
                id="a2",
                text=ARTICLE[a2[0] : a2[1]],
                start=a2[0],
                end=a2[1],
                source="an official",
                kind=AttributionKind.anonymous,
                strength=Strength.weak,
                reason="anonymous source",
            ),
        ]
        n = _claim_span("Ada Mbeki")
        names = [
            NameIssue(
                text="Ada Mbeki",
                start=n[0],
                end=n[1],
                found="Ada Mbeki",
                suggestion="Ada Mbekie",
                confidence=0.7,
                evidence="newsroom names list",
            )
        ]
        return TriageReport(
            article=ArticleInfo(
                title="Harbour Council passes budget",
                url=url,
                sha256=f"{uuid.uuid5(uuid.NAMESPACE_URL, ARTICLE + salt).hex}{'0' * 32}",
                words=len(ARTICLE.split()),
                language="en",
            ),
            summary="One anonymous source; one named office.",
            claims=claims,
            attributions=attributions,
            names=names,
            extractor=ExtractorInfo(name="offline", version="test"),
            sentences=4,
        )

    return build


# -- engines, made once per run ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("db") / "factdesk-test.db"
    engine = storage_db.make_engine(f"sqlite:///{path}")
    storage_db.upgrade(engine=engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, made from FACTDESK_TEST_POSTGRES_URL and dropped after."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    name = f"factdesk_test_{uuid.uuid4().hex[:10]}"
    admin = storage_db.make_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is not usable: {exc.__class__.__name__}")
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    engine = storage_db.make_engine(url)
    storage_db.upgrade(engine=engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """A brand-new PostgreSQL database with no schema, for tests of first use; dropped after the test."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    name = f"factdesk_empty_{uuid.uuid4().hex[:10]}"
    admin = storage_db.make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = storage_db.make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def engine(backend: str, request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{backend}_engine")


# -- per-test isolation ----------------------------------------------------------------------------------


@pytest.fixture
def db_connection(engine: Engine) -> Iterator[Connection]:
    connection = engine.connect()
    outer = connection.begin()
    yield connection
    if outer.is_active:
        outer.rollback()
    connection.close()


@pytest.fixture
def session_factory(db_connection: Connection) -> Callable[[], Session]:
    """New sessions joined to the test's outer transaction: their commits become savepoints."""

    def make() -> Session:
        return Session(bind=db_connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

    return make


@pytest.fixture
def db(session_factory: Callable[[], Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


# -- the desk ---------------------------------------------------------------------------------------------

EDITOR = Actor(platform="slack", user_id="UMARIA", display="maria", is_editor=True)
MEMBER = Actor(platform="slack", user_id="ULEO", display="leo")
OTHER = Actor(platform="slack", user_id="UANA", display="ana")
PLACE = Place(platform="slack", workspace="T1", channel="CDESK", thread="1700000000.000100")


class FixedClock:
    """A clock tests can move: `clock.now` is what the desk believes the time is."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def desk_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url="sqlite://",
        editors="discord:900",
        organisation="Harbour Gazette",
        organisation_url="https://gazette.example",
    )


@pytest.fixture
def desk(session_factory: Callable[[], Session], desk_settings: Settings, clock: FixedClock):
    from bot.core import build_desk

    return build_desk(desk_settings, session_factory, clock=clock)


@pytest.fixture
def stored(session_factory: Callable[[], Session], make_report: Callable[..., TriageReport]) -> TriageReport:
    """One triage saved through the real triage store, as the triage service would."""
    from bot.desk.triage_store import save_report

    with session_factory() as session, session.begin():
        return save_report(session, make_report(), EDITOR, PLACE, ARTICLE)


@pytest.fixture
def editor() -> Actor:
    return EDITOR


@pytest.fixture
def member() -> Actor:
    return MEMBER


@pytest.fixture
def other_member() -> Actor:
    return OTHER


@pytest.fixture
def place() -> Place:
    return PLACE
