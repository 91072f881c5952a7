"""Tasks tell the trainer how to batch, what loss to take and how to score.

``ClassificationTask`` trains any encoder + head on labelled texts;
``MaskedLMTask`` pretrains the Transformer by masked-language modelling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.encoders.base import Inputs


@dataclass
class TaskData:
    """Encoded items (one per text) and, for classification, label indices."""

    items: list[Any]
    labels: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.items)


class WindowData(TaskData):
    """Windows of a streamed corpus (read from disk as asked): the trainer shuffles them in blocks."""

    streamed = True


class Task:
    """Interface: ``batch``, ``loss`` and ``evaluate``; ``monitor`` names the score to maximise."""

    monitor = "val/loss"
    mode = "min"

    def batch(
        self,
        data: TaskData,
        idx: Sequence[int],
        generator: torch.Generator | None = None,
        seeds: Sequence[int] | None = None,
    ) -> dict:
        """The batch of items ``idx``; ``seeds`` (one per item) make any randomness per item reproducible."""
        raise NotImplementedError

    def count(self, batch: dict) -> int:
        """How many targets ``batch`` holds (what accuracy and the epoch's loss are averaged over)."""
        return int(batch["labels"].numel())

    def weight(self, batch: dict) -> float:
        """What ``loss`` is a mean over, so a batch split into parts (gradient accumulation, processes)
        can be reweighed into the whole batch's loss: its targets, unless they weigh differently."""
        return float(self.count(batch))

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict[str, float]]:
        raise NotImplementedError

    def evaluate(self, model: nn.Module, data: TaskData, device: torch.device, batch_size: int = 256) -> dict:
        raise NotImplementedError


def move(batch: dict, device: torch.device) -> dict:
    """Move every tensor of a (possibly nested) batch to ``device``."""
    return {k: (move(v, device) if isinstance(v, dict) else v.to(device, non_blocking=True)) for k, v in batch.items()}


class ClassificationTask(Task):
    """Cross-entropy on class indices; scored by validation macro-F1, the validation loss
    breaking near-ties (see ``selection_score``)."""

    monitor = "val/selection"
    mode = "max"

    def __init__(self, inputs: Inputs, n_classes: int, class_weights: np.ndarray | None = None):
        self.inputs = inputs
        self.n_classes = n_classes
        self.class_weights = None if class_weights is None else torch.as_tensor(class_weights, dtype=torch.float32)

    def batch(
        self,
        data: TaskData,
        idx: Sequence[int],
        generator: torch.Generator | None = None,
        seeds: Sequence[int] | None = None,
    ) -> dict:
        return {
            "inputs": self.inputs.collate([data.items[i] for i in idx]),
            "labels": torch.as_tensor(data.labels[np.asarray(idx)], dtype=torch.long),
        }

    def weight(self, batch: dict) -> float:
        """With class weights, the loss is a mean weighted by them: parts weighed by their counts made
        a split batch's gradient another than the whole batch's (0.08 apart after training)."""
        if self.class_weights is None:
            return float(self.count(batch))
        return float(self.class_weights[batch["labels"].cpu()].sum())

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict[str, float]]:
        logits = model(batch["inputs"]).float()
        weight = None if self.class_weights is None else self.class_weights.to(logits.device)
        loss = F.cross_entropy(logits, batch["labels"], weight=weight)
        correct = (logits.argmax(1) == batch["labels"]).sum().item()
        return loss, {"correct": correct, "count": len(batch["labels"])}

    @torch.inference_mode()
    def predict_proba(
        self, model: nn.Module, data: TaskData, device: torch.device, batch_size: int = 256
    ) -> np.ndarray:
        """Class probabilities ``(N, C)`` for every item."""
        model.eval()
        out = []
        for start in range(0, len(data), batch_size):
            idx = range(start, min(start + batch_size, len(data)))
            inputs = move(self.inputs.collate([data.items[i] for i in idx]), device)
            out.append(model(inputs).float().softmax(-1).cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, self.n_classes), dtype=np.float32)

    def evaluate(self, model: nn.Module, data: TaskData, device: torch.device, batch_size: int = 256) -> dict:
        proba = self.predict_proba(model, data, device, batch_size)
        pred = proba.argmax(1)
        eps = 1e-12
        loss = float(-np.log(proba[np.arange(len(pred)), data.labels] + eps).mean()) if len(pred) else 0.0
        f1 = macro_f1(data.labels, pred, self.n_classes)
        return {
            "val/loss": loss,
            "val/accuracy": float((pred == data.labels).mean()) if len(pred) else 0.0,
            "val/macro_f1": f1,
            "val/selection": selection_score(f1, loss, len(pred)),
        }


def selection_score(f1: float, loss: float, n: int) -> float:
    """Macro-F1 less the validation loss divided by the number of validation texts.

    On a small validation set two epochs often score within one text of each other while one of
    them is plainly under-trained (bbc, 212 texts: F1 0.9717 at a loss of 0.31, then 0.9709 at
    0.07; the first was kept and scored 2 points lower on the test split). A loss gap of 1.0 weighs
    as much as one text's worth of F1, so the loss decides only between near-equal F1 scores and
    counts for less the larger the validation set.
    """
    return f1 - loss / max(1, n)


def macro_f1(labels: np.ndarray, pred: np.ndarray, n_classes: int) -> float:
    """Macro-F1 over classes ``0 … n_classes-1`` (a class never seen nor predicted scores 0), as
    scikit-learn's ``f1_score(average="macro", labels=range(n), zero_division=0)``.

    Written with NumPy because importing scikit-learn's metrics costs about a second of every
    training worker's first evaluation.
    """
    labels, pred = np.asarray(labels, dtype=np.int64), np.asarray(pred, dtype=np.int64)
    if not n_classes:
        return 0.0
    true_positive = np.bincount(labels[labels == pred], minlength=n_classes)[:n_classes]
    # F1 = 2·tp / (2·tp + fp + fn) = 2·tp / (predicted + actual)
    both = np.bincount(pred, minlength=n_classes)[:n_classes] + np.bincount(labels, minlength=n_classes)[:n_classes]
    return float(np.where(both > 0, 2.0 * true_positive / np.maximum(both, 1), 0.0).mean())


def class_weights_for(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Inverse-frequency class weights, normalised to mean 1 (scikit-learn's 'balanced')."""
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    weights = len(labels) / (n_classes * np.maximum(counts, 1))
    return (weights / weights.mean()).astype(np.float32)


MASK_DRAWS = 1024  # random numbers drawn per row and draw: the longest sequence a Transformer here reads (max_len)


def mask_tokens(
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    special_ids: Sequence[int],
    mask_id: int,
    vocab_size: int,
    rate: float = 0.15,
    generator: torch.Generator | None = None,
    seeds: Sequence[int] | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's masking: pick ``rate`` of the real tokens; of those 80% → [MASK], 10% → a random
    token, 10% kept. Special tokens and padding are never picked.

    With ``seeds`` (one per row) each row's masks come from its own seed, so a text is masked the
    same whichever batch, process or number of processes it lands in.

    Returns ``(masked_ids, labels)`` with labels = -100 where nothing is predicted.
    """
    special = torch.zeros(vocab_size, dtype=torch.bool)
    special[list(special_ids)] = True
    candidates = attention_mask & ~special[input_ids]  # (B, T)
    n_special = len(special_ids)
    if seeds is not None:
        rows = [torch.Generator().manual_seed(int(s) % (2**63)) for s in seeds]
        length = input_ids.shape[1]
        # a fixed number of draws per row, whatever the batch's padded length: the second draw started
        # where the first ended, so a text's masks changed with the longest text beside it
        span = max(length, MASK_DRAWS)  # never less than the batch: max_len stops at 1024
        draw = torch.stack([torch.rand(span, generator=g) for g in rows])[:, :length]
        action = torch.stack([torch.rand(span, generator=g) for g in rows])[:, :length]
        random_ids = torch.stack([torch.randint(n_special, vocab_size, (span,), generator=g) for g in rows])
        random_ids = random_ids[:, :length]
    else:
        draw = torch.rand(input_ids.shape, generator=generator)
        action = torch.rand(input_ids.shape, generator=generator)
        # random replacements come from the ordinary vocabulary (ids after the specials)
        random_ids = torch.randint(n_special, vocab_size, input_ids.shape, generator=generator)
    picked = candidates & (draw < rate)
    # a text with candidates but no pick still teaches something: pick its best-drawn token
    none = candidates.any(1) & ~picked.any(1)
    if none.any():
        scores = torch.where(candidates, draw, torch.full_like(draw, 2.0))
        rows = none.nonzero().squeeze(1)
        picked[rows, scores[rows].argmin(1)] = True
    labels = torch.where(picked, input_ids, torch.full_like(input_ids, -100))
    masked = input_ids.clone()
    masked[picked & (action < 0.8)] = mask_id
    random_slots = picked & (action >= 0.8) & (action < 0.9)
    masked[random_slots] = random_ids[random_slots]
    return masked, labels


def sampled(n: int, limit: int, seed: int) -> np.ndarray:
    """The positions of a seeded sample of ``limit`` of ``n`` items, in order (all of them when ``n`` is
    no more than ``limit``, or ``limit`` is 0)."""
    if not limit or n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, limit, replace=False))


class MaskedLMTask(Task):
    """Masked-language modelling for pretraining; scored by held-out MLM loss."""

    monitor = "val/loss"
    mode = "min"

    def __init__(self, inputs: Inputs, rate: float = 0.15, eval_seed: int = 1234):
        self.inputs = inputs
        self.rate = rate
        self.eval_seed = eval_seed
        tok = inputs.tokenizer
        self.special_ids = sorted(set(tok.special_ids.values()))
        self.mask_id = tok.special_ids["[MASK]"]
        self.vocab_size = tok.vocab_size
        if self.vocab_size <= len(self.special_ids):  # "random_ expects 'from' to be less than 'to'" otherwise
            from core.errors import DataError

            raise DataError(
                "The texts give no vocabulary to learn: after the vocabulary was fitted, none of their characters "
                "were left (only invisible ones, such as zero-width spaces or byte-order marks). Pretrain on "
                "texts with words in them."
            )

    def batch(
        self,
        data: TaskData,
        idx: Sequence[int],
        generator: torch.Generator | None = None,
        seeds: Sequence[int] | None = None,
    ) -> dict:
        inputs = self.inputs.collate([data.items[i] for i in idx])
        masked, labels = mask_tokens(
            inputs["input_ids"],
            inputs["attention_mask"],
            self.special_ids,
            self.mask_id,
            self.vocab_size,
            self.rate,
            generator,
            seeds,
        )
        selected = labels != -100
        return {
            "inputs": {"input_ids": masked, "attention_mask": inputs["attention_mask"], "predict": selected},
            "labels": labels[selected],
        }

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict[str, float]]:
        logits = model(batch["inputs"]).float()  # (N, V): the selected positions only
        labels = batch["labels"]
        if not labels.numel():
            # a part with nothing to mask (only unknown or special tokens): the mean over no targets is NaN,
            # and NaN x a weight of 0 is still NaN, in the loss and every gradient. A zero joined to the graph
            # keeps the backward (DDP's all-reduce waits for it) and adds nothing.
            return logits.sum() * 0.0, {"correct": 0, "count": 0}
        loss = F.cross_entropy(logits, labels)
        correct = (logits.argmax(-1) == labels).sum().item()
        return loss, {"correct": correct, "count": int(labels.numel())}

    @torch.inference_mode()
    def evaluate(self, model: nn.Module, data: TaskData, device: torch.device, batch_size: int = 256) -> dict:
        model.eval()
        total_loss = 0.0
        correct = count = 0
        for start in range(0, len(data), batch_size):
            # each text its own seed: the same masks every evaluation, whatever the batch size (one stream
            # over padded batches scored one model 5.2625, 5.2597 or 5.2700 as eval_batch_size changed)
            idx = range(start, min(start + batch_size, len(data)))
            seeds = [self.eval_seed * 1_000_003 + i for i in idx]
            batch = move(self.batch(data, idx, seeds=seeds), device)
            logits = model(batch["inputs"]).float()
            labels = batch["labels"]
            total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(-1) == labels).sum().item()
            count += int(labels.numel())
        if not count:  # nothing to mask (every token unknown or special): no score, not a "perfect" loss of 0
            return {}
        loss = total_loss / max(count, 1)
        from core.text import log_perplexity_to_ppl

        return {
            "val/loss": loss,
            "val/masked_accuracy": correct / max(count, 1),
            "val/perplexity": log_perplexity_to_ppl(loss),
            "masked_tokens": int(count),  # what the scores rest on: 11 hidden tokens say little either way
        }

    def token_counts(self, data: TaskData, limit: int = 0, seed: int = 0) -> np.ndarray:
        """How often each token occurs in ``data``'s texts as the model reads them (special tokens, which
        are never hidden, count 0); over a seeded sample of ``limit`` of them when there are more (0: all).
        A sample, not the first ones: a file sorted by class or language would skew the counts."""
        counts = np.zeros(self.vocab_size, dtype=np.int64)
        picked = sampled(len(data), limit, seed)
        for start in range(0, len(picked), 4096):
            # by index: a streamed corpus's windows are read one at a time, not sliced
            chunk = [np.asarray(data.items[int(i)]) for i in picked[start : start + 4096]]
            chunk = [item for item in chunk if len(item)]
            if chunk:
                counts += np.bincount(np.concatenate(chunk).astype(np.int64), minlength=self.vocab_size)[
                    : self.vocab_size
                ]
        counts[self.special_ids] = 0
        return counts

    @torch.inference_mode()
    def frequency_scores(self, counts: np.ndarray, data: TaskData, batch_size: int = 256) -> dict:
        """The held-out scores of a guess that reads no context, on the very tokens ``evaluate`` hides:
        token frequencies (``counts``, add-one smoothed) where the slot shows [MASK], and where it shows a
        token (BERT keeps the true one in 10% of the slots and puts a random one in 10%), that token at
        even odds. That is where MLM from scratch sits before it reads any context (the "unigram
        plateau"). A loss of 6.6 read as learning next to the even guess's 9.0, yet its answers ignored
        the context; measured against frequencies alone, a tiny run whose fills were "the . , and" for
        any sentence scored 0.24 below them, by copying the token shown."""
        unigram = torch.as_tensor((counts + 1.0) / (counts.sum() + len(counts)), dtype=torch.float64)
        top = int(np.argmax(counts))
        total_loss, correct, count = 0.0, 0, 0
        for start in range(0, len(data), batch_size):
            idx = range(start, min(start + batch_size, len(data)))
            seeds = [self.eval_seed * 1_000_003 + i for i in idx]  # the masks evaluate draws
            batch = self.batch(data, idx, seeds=seeds)
            labels = batch["labels"]
            shown = batch["inputs"]["input_ids"][batch["inputs"]["predict"]]
            masked = shown == self.mask_id
            # a slot showing a token holds the true one as often as a random one (10% each)
            p = torch.where(masked, unigram[labels], 0.5 * (labels == shown) + 0.5 * unigram[labels])
            total_loss -= float(torch.log(p).sum())
            correct += int(torch.where(masked, labels == top, labels == shown).sum())
            count += int(labels.numel())
        if not count:
            return {}
        return {"val/frequency_loss": total_loss / count, "val/frequency_accuracy": correct / count}
