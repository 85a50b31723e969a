"""The packed index cuts people and spellings into small sections, and still reads one cut the old way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.names import gazetteer as gz
from bot.names.gazetteer import GazetteerFile, PersonRecord


def _data() -> GazetteerFile:
    people = [PersonRecord(name=f"Person{i:03d} Surname{i % 7}", rank=i % 6) for i in range(150)]
    return GazetteerFile(format=gz.FORMAT_VERSION, built="x", sources=["test"], people=people)


def test_a_person_decodes_only_its_own_section(tmp_path: Path):
    path = tmp_path / "gazetteer.idx"
    gz.write_file(_data(), path)
    opened = gz.load(path)
    assert opened._packed.meta["chunks"] == gz.CHUNKS
    assert opened.person(100).name == "Person100 Surname2"
    assert list(opened._people._chunks) == [100 // gz.CHUNKS["people"]]
    assert gz.load_file(path) == _data()


def test_an_index_written_in_sections_of_512_still_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(gz, "CHUNKS", {"people": 512, "forms": 512})
    path = tmp_path / "gazetteer.idx"
    gz.write_file(_data(), path)
    magic, header, body = path.read_bytes().split(b"\n", 2)
    meta = json.loads(header)
    del meta["meta"]["chunks"]  # as the index was written before sections had a size in the header
    path.write_bytes(magic + b"\n" + json.dumps(meta).encode() + b"\n" + body)
    monkeypatch.undo()
    assert gz.load_file(path) == _data()
    assert gz.load(path).person(149).name == "Person149 Surname2"
