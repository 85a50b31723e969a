"""The fact-check archive table on SQLite and PostgreSQL: upsert by review URL, removal, stats, change feed."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from storage import archive
from storage.archive import ArchiveRow


def _row(url: str, claim: str, source: str = "snopes", **extra) -> ArchiveRow:
    return ArchiveRow(review_url=url, claim=claim, source=source, **extra)


def test_reimport_updates_in_place_and_never_duplicates(db: Session) -> None:
    archive.upsert(db, [_row("https://fc.example/1", "The moon is cheese", rating="False")])
    first = archive.version(db)
    archive.upsert(
        db,
        [
            _row("https://fc.example/1", "The moon is made of cheese", rating="Pants on fire"),
            _row("https://fc.example/2", "Bananas are berries", published=date(2020, 3, 1)),
        ],
    )
    rows = {r.review_url: r for r in archive.index_rows(db)}
    assert len(rows) == 2
    assert rows["https://fc.example/1"].claim == "The moon is made of cheese"
    assert rows["https://fc.example/1"].rating == "Pants on fire"
    assert rows["https://fc.example/2"].published == date(2020, 3, 1)
    second = archive.version(db)
    assert second.count == 2 and second.newest_change is not None
    assert first.newest_change is not None and second.newest_change >= first.newest_change


def test_remove_by_source_and_stats_per_source(db: Session) -> None:
    archive.upsert(
        db,
        [
            _row("https://a.example/1", "one", source="a"),
            _row("https://a.example/2", "two", source="a", vector=b"\x00\x00"),
            _row("https://b.example/1", "three", source="b", published=date(2021, 5, 4)),
        ],
    )
    by_source = {s.source: s for s in archive.stats(db)}
    assert by_source["a"].records == 2 and by_source["a"].without_vector == 1
    assert by_source["b"].newest == date(2021, 5, 4)
    assert archive.remove_source(db, "a") == 2
    assert [s.source for s in archive.stats(db)] == ["b"]
    assert archive.remove_source(db, "nothing") == 0
