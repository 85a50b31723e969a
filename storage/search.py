"""Full-text search over claims, their notes and their articles' titles, with the database's own engine:
PostgreSQL `tsvector` matching served by GIN expression indexes, SQLite an FTS5 table kept by triggers.

Both live only in migration 0005 (PostgreSQL indexes, SQLite virtual table and triggers), not in the
models: `SEARCH_OBJECTS` names them so the migration check leaves them alone. A claim's score adds up its
matches, weighted so that the claim's own words count most, then its notes, then its article's title.
On PostgreSQL a word found in more than `CANDIDATES` rows of one source ranks only the first ones found.

A GIN index cannot stop early: a word in most claims costs a bitmap of every one of them (130 ms at 1 M
claims) before the first `CANDIDATES` are taken. So a broad query (by the index's own statistics, the share
of claims expected to hold every word is at least `BROAD`) takes its candidates from the newest claims
instead, reading backwards along the primary key until `CANDIDATES` match (about 10 ms); the rest is ranked
the same way. Every other query, the normal case, is unchanged.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

# Objects the migration makes that no model describes (FTS5 makes its shadow tables from the first name).
SEARCH_OBJECTS = ("desk_search", "ix_search_claims_text", "ix_search_notes_text", "ix_search_threads_title")
WEIGHTS = {"claim": 1.0, "note": 0.8, "title": 0.5}
CANDIDATES = 500  # matches per source ranked on PostgreSQL
BROAD = 0.25  # share of claims above which a backward scan finds the candidates sooner than the index
_WORD = re.compile(r"\w+", re.UNICODE)

# The share of claims expected to hold every word: the product of each stemmed word's frequency among the
# GIN index's most common elements (ANALYZE keeps them); a word not among them makes it next to nothing.
_SHARE = """
SELECT coalesce(exp(sum(ln(greatest(coalesce(s.freq, 0), 1e-9)))), 0)
  FROM unnest(tsvector_to_array(to_tsvector('english', :words))) AS w(lexeme)
  LEFT JOIN (SELECT unnest(most_common_elems::text::text[]) AS lexeme, unnest(most_common_elem_freqs) AS freq
               FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'ix_search_claims_text') AS s
 USING (lexeme)
"""

_CLAIMS_FOUND = (
    "SELECT c.id, to_tsvector('english', c.text) AS doc FROM claims c, q"
    " WHERE to_tsvector('english', c.text) @@ q.query LIMIT :candidates"
)
# OFFSET 0 keeps the subquery whole: the primary key read backwards, each text made a tsvector once.
_CLAIMS_NEWEST = (
    "SELECT newest.id, newest.doc FROM (SELECT c.id, to_tsvector('english', c.text) AS doc FROM claims c"
    " ORDER BY c.id DESC OFFSET 0) AS newest, q WHERE newest.doc @@ q.query LIMIT :candidates"
)

# Each source's matches are capped before ranking (CANDIDATES), so a word in every claim costs a bounded
# read, not a rank of the whole table; narrower words lift the cap's effect.
_POSTGRES = f"""
WITH q AS (SELECT plainto_tsquery('english', :words) AS query)
SELECT claim_id FROM (
    SELECT m.id AS claim_id, {WEIGHTS["claim"]} * ts_rank(m.doc, q.query) AS score
      FROM ({{claims}}) AS m, q
    UNION ALL
    SELECT m.claim_id, {WEIGHTS["note"]} * ts_rank(to_tsvector('english', m.text), q.query)
      FROM (SELECT n.claim_id, n.text FROM notes n, q WHERE to_tsvector('english', n.text) @@ q.query
            LIMIT :candidates) AS m, q
    UNION ALL
    SELECT c.id, {WEIGHTS["title"]} * m.score
      FROM (SELECT t.id, ts_rank(to_tsvector('english', coalesce(t.title, '')), q.query) AS score
              FROM triage_threads t, q WHERE to_tsvector('english', coalesce(t.title, '')) @@ q.query
             LIMIT :candidates) AS m
      JOIN claims c ON c.thread_id = m.id
) AS hits
GROUP BY claim_id ORDER BY sum(score) DESC, claim_id DESC LIMIT :limit
"""

# bm25() is lower for better matches; it is read in the innermost query, where FTS5 allows it.
_SQLITE = f"""
WITH hits AS (
    SELECT claim_id, thread_id, source, bm25(desk_search) AS score FROM desk_search WHERE desk_search MATCH :words
)
SELECT claim_id FROM (
    SELECT claim_id, score * CASE source WHEN 'note' THEN {WEIGHTS["note"]} ELSE {WEIGHTS["claim"]} END AS score
      FROM hits WHERE source IN ('claim', 'note')
    UNION ALL
    SELECT c.id, hits.score * {WEIGHTS["title"]} FROM hits JOIN claims c ON c.thread_id = hits.thread_id
     WHERE hits.source = 'title'
)
GROUP BY claim_id ORDER BY sum(score) ASC, claim_id DESC LIMIT :limit
"""


def search_claim_ids(session: Session, words: str, limit: int = 25) -> list[int]:
    """Ids of the claims that match every word (stemmed), best first; [] when no word is searchable."""
    terms = _WORD.findall(words.lower())[:20]
    if not terms:
        return []
    if session.get_bind().dialect.name == "postgresql":
        words = " ".join(terms)
        broad = session.execute(text(_SHARE), {"words": words}).scalar_one() >= BROAD
        claims = _CLAIMS_NEWEST if broad else _CLAIMS_FOUND
        if broad:  # parallel workers would cost more to start than the read, and lose the newest-first order
            session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        bound = {"words": words, "limit": limit, "candidates": CANDIDATES}
        rows = session.execute(text(_POSTGRES.replace("{claims}", claims)), bound)
    else:  # each term quoted, so no user input is read as FTS5 query syntax
        query = " ".join(f'"{term}"' for term in terms)
        rows = session.execute(text(_SQLITE), {"words": query, "limit": limit})
    return [claim_id for (claim_id,) in rows]
