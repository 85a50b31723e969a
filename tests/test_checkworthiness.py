"""The trained check-worthiness model: features, the numpy scorer, the weights file, and the evaluation code."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from bench.checkworthiness_eval import load_ct24, precision_recall_f1
from bot.extract.checkworthiness import MODEL_PATH, CheckworthinessModel, default_model, sentence_features


def test_numbers_become_shapes_not_words():
    lexical, structural = sentence_features("Taxes rose 12% to $4,000 in 2019, up from 350.")
    assert {"w:<pct>", "w:<money>", "w:<year>", "w:<num>"} <= set(lexical)
    assert not [f for f in lexical if any(ch.isdigit() for ch in f)]
    assert {"year", "money", "pct", "nums:2"} <= set(structural)


def test_capitalised_first_word_is_not_a_name_but_a_later_one_is():
    _, plain = sentence_features("Taxes went up.")
    _, named = sentence_features("Taxes went up in Ohio, Senator Brown said.")
    assert "caps:0" in plain
    assert "caps:3" in named and "ne+report" in named


def test_first_person_opinion_is_a_structural_cue():
    _, structural = sentence_features("I think we should be proud of this.")
    assert {"opinion", "fp_opinion", "fp_noevidence"} <= set(structural)


def test_curly_and_straight_apostrophes_give_the_same_features():
    assert sentence_features("We’re losing jobs.") == sentence_features("We're losing jobs.")


def test_score_is_the_documented_linear_model():
    model = CheckworthinessModel(
        ["w:taxes", "w:rose", "len:1", "b:<s> taxes"], [1.0, 0.5, -0.25, 2.0], bias=-1.0
    )
    logit = model.logits(["Taxes rose."])[0]
    lexical_sum = (1.0 + 0.5 + 2.0) / math.sqrt(3)  # lexical features are divided by sqrt(active count)
    assert logit == pytest.approx(-1.0 + lexical_sum - 0.25)
    assert model.score(["Taxes rose."])[0] == pytest.approx(1 / (1 + math.exp(-logit)))
    assert model.score(["Nothing known here at all."])[0] < 0.5


def test_features_and_weights_must_line_up():
    with pytest.raises(ValueError):
        CheckworthinessModel(["w:a", "w:b"], [1.0], 0.0)


def test_bundled_weights_are_plain_json_and_small():
    assert MODEL_PATH.stat().st_size < 5_000_000
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert len(data["features"]) == len(data["weights"]) == data["meta"]["features"]
    assert len(set(data["features"])) == len(data["features"])
    assert 0 < data["meta"]["threshold_before_shift"] < 1


def test_batch_scoring_matches_one_at_a_time():
    model = default_model()
    texts = ["Unemployment fell to 4 percent last year.", "Thank you.", "", "I love this country."]
    batch = model.score(texts)
    assert batch.shape == (4,)
    assert np.allclose(batch, [model.score([t])[0] for t in texts])
    assert ((batch >= 0) & (batch <= 1)).all()
    assert model.score([]).shape == (0,)


def test_trained_model_separates_factual_claims_from_chatter():
    model = default_model()
    factual = model.score(
        [
            "The unemployment rate rose to 10 percent in 2009.",
            "He voted to cut Medicare by $700 billion.",
        ]
    )
    chatter = model.score(["Thank you very much, it's great to be here.", "I think we need to look forward."])
    assert factual.min() >= 0.5 > chatter.max()


def test_default_model_is_loaded_once():
    assert default_model() is default_model()


def test_precision_recall_f1_of_the_positive_class():
    gold = [True, True, False, False, True]
    predicted = [True, False, True, False, True]
    p, r, f = precision_recall_f1(gold, predicted)
    assert (p, r) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert f == pytest.approx(2 / 3)
    assert precision_recall_f1([True, False], [False, False]) == (0.0, 0.0, 0.0)


def test_ct24_loader_reads_quoted_tsv_fields(tmp_path):
    (tmp_path / "CT24_checkworthy_english_toy.tsv").write_text(
        'Sentence_id\tText\tclass_label\n7\t"He said, ""no"", twice."\tYes\n8\tHello there.\tNo\n',
        encoding="utf-8",
    )
    rows = load_ct24("toy", tmp_path)
    assert [(r.sentence_id, r.text, r.positive) for r in rows] == [
        (7, 'He said, "no", twice.', True),
        (8, "Hello there.", False),
    ]


def test_training_matrix_is_what_the_runtime_scores():
    pytest.importorskip("sklearn")
    from bench.train_checkworthiness import design_matrix

    features = ["w:taxes", "w:rose", "b:<s> taxes", "len:1", "caps:0", "report:0", "w:<pct>"]
    weights = np.array([0.3, -0.2, 0.7, 0.1, -0.4, 0.05, 1.5])
    texts = ["Taxes rose 5%.", "Nothing here.", "Taxes, taxes and more taxes rose in Ohio."]
    runtime = CheckworthinessModel(features, weights, 0.25).logits(texts)
    assert np.allclose(design_matrix(features, texts) @ weights + 0.25, runtime)


def test_distilled_student_learns_the_teachers_scale_not_just_its_ranking():
    pytest.importorskip("sklearn")
    from bench.train_checkworthiness import fit_distilled

    subjects = ["Taxes", "Unemployment", "The deficit", "Crime", "Inflation", "Spending"]
    verbs = ["rose", "fell", "doubled", "grew"]
    texts = [f"{s} {v} {n}% in {y}." for s in subjects for v in verbs for n in (3, 12) for y in (1999, 2015)]
    texts += [f"I think {s.lower()} is a question for {w}." for s in subjects for w in ("us", "them", "you")]
    texts *= 3  # every feature clears the distilled vocabulary's count floor
    teacher = np.array([4.0 if "%" in t else -3.0 for t in texts])
    student = fit_distilled(texts, teacher, alpha=0.01)
    logits = student.logits(["Inflation doubled 12% in 2015.", "I think crime is a question for us."])
    assert logits[0] == pytest.approx(4.0, abs=0.3)
    assert logits[1] == pytest.approx(-3.0, abs=0.3)


def test_transfer_corpus_drops_a_debate_that_shares_a_long_line_with_the_test_sets():
    from bench.checkworthiness_transfer import _shares_line, fingerprint

    held_out = {"We created fourteen million jobs in the last eight years alone."}
    assert _shares_line(
        ["Thank you.", " We created fourteen million jobs in the last eight years alone. "], held_out
    )
    assert not _shares_line(["Thank you."], {"Thank you."})  # a short line recurs in every debate
    assert not _shares_line(["We created jobs."], held_out)
    assert fingerprint(["a", "b"]) != fingerprint(["b", "a"]) != fingerprint(["ab"])


def test_teacher_logits_line_up_with_the_rebuilt_corpus_or_are_refused(tmp_path, monkeypatch):
    pytest.importorskip("sklearn")
    from bench import train_checkworthiness as training
    from bench.checkworthiness_transfer import fingerprint

    corpus = ["Taxes rose five percent.", "Thank you all for coming tonight."]
    monkeypatch.setattr(training, "transfer_sentences", lambda: corpus)
    arrays = {
        "full_train": np.array([1.0, -20.0, 3.0], dtype=np.float32),
        "full_transfer": np.array([15.0, -2.0], dtype=np.float32),
    }
    path = tmp_path / "teacher.npz"
    np.savez(path, meta=np.array(json.dumps({"fingerprint": fingerprint(corpus)})), **arrays)
    teacher = training.TeacherLogits.load(path)
    targets = teacher.targets("full", np.array([True, True, False]))
    assert targets.tolist() == [1.0, -training.TEACHER_CLIP, training.TEACHER_CLIP, -2.0]

    np.savez(path, meta=np.array(json.dumps({"fingerprint": fingerprint(corpus[::-1])})), **arrays)
    with pytest.raises(SystemExit, match="another transfer corpus"):
        training.TeacherLogits.load(path)


def test_the_built_model_is_cached_between_processes_and_a_bad_cache_is_rebuilt(tmp_path, monkeypatch):
    from bot.extract import checkworthiness as cw

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    sentences = ["Unemployment fell to 4.1% in March, the ministry said.", "What a day it was."]
    cw.default_model.cache_clear()
    built = cw.default_model()
    (cache,) = (tmp_path / "factdesk").glob("checkworthiness-*.tables")
    cw.default_model.cache_clear()
    cached = cw.default_model()
    assert cached is not built and list(cached.logits(sentences)) == list(built.logits(sentences))
    assert cached.index == built.index and not cached.weights.flags.writeable  # read from the memory map
    assert cached.index.get("w:no such feature") is None and cached.size == built.size
    cache.write_bytes(b"not a table")
    cw.default_model.cache_clear()
    rebuilt = cw.default_model()
    assert list(rebuilt.logits(sentences)) == list(built.logits(sentences))
    assert cache.read_bytes() != b"not a table"
    cw.default_model.cache_clear()


def test_threads_scoring_at_once_get_what_one_thread_gets(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from bot.extract import checkworthiness as cw

    monkeypatch.setattr(cw, "_TOKEN_CACHE", 60)  # resets of the shared token rows happen mid-run
    batches = [
        [f"Taxes rose {n}% in {1990 + n}, Senator {name} said.", f"I think {name} was wrong about {n} jobs."]
        for n in range(40)
        for name in ("Brown", "Okafor", "Lindqvist")
    ]
    alone = CheckworthinessModel.load()
    expected = [alone.logits(batch).tolist() for batch in batches]
    shared = CheckworthinessModel.load()
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda batch: shared.logits(batch).tolist(), batches))
    assert got == expected
