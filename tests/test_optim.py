"""Sparse-gradient training: LazyAdam, clipping with sparse gradients, one-pass featurising."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from core.text import BagOfWordsFeaturizer
from core.training.optim import AdamW, DenseSparseAdamW, LazyAdam, clip_grad_norm, coalesced, make_optimizer


def _bags(seed: int):
    gen = torch.Generator().manual_seed(seed)
    return torch.randint(0, 200, (30,), generator=gen), torch.tensor([0, 10, 20])


def test_lazy_adam_matches_torch_sparse_adam():
    torch.manual_seed(0)
    ours, theirs = (nn.EmbeddingBag(200, 4, mode="sum", sparse=True) for _ in range(2))
    theirs.load_state_dict(ours.state_dict())
    start = ours.weight.detach().clone()
    opt_ours, opt_theirs = LazyAdam(ours.parameters(), lr=0.01), torch.optim.SparseAdam(theirs.parameters(), lr=0.01)
    for step in range(20):
        for model, opt in ((ours, opt_ours), (theirs, opt_theirs)):
            opt.zero_grad()
            (model(*_bags(step)) ** 2).sum().backward()
            opt.step()
    assert torch.allclose(ours.weight, theirs.weight, atol=1e-6)
    untouched = torch.ones(200, dtype=torch.bool)
    for step in range(20):
        untouched[_bags(step)[0]] = False
    assert untouched.any()  # rows no batch used keep their initial values
    assert torch.equal(ours.weight[untouched], start[untouched])
    assert not torch.equal(ours.weight[~untouched], start[~untouched])


def test_rowwise_lazy_adam_keeps_one_second_moment_per_row():
    torch.manual_seed(0)
    # with one weight per row the row-wise variant is Adam itself
    narrow = [nn.EmbeddingBag(200, 1, mode="sum", sparse=True) for _ in range(2)]
    narrow[1].load_state_dict(narrow[0].state_dict())
    opts = [LazyAdam(narrow[0].parameters(), lr=0.01, rowwise=True), LazyAdam(narrow[1].parameters(), lr=0.01)]
    for step in range(10):
        for model, opt in zip(narrow, opts):
            opt.zero_grad()
            (model(*_bags(step)) ** 2).sum().backward()
            opt.step()
    assert torch.allclose(narrow[0].weight, narrow[1].weight, atol=1e-6)
    # wider rows: one moment per row, the mean of the row's squared gradients
    bag = nn.EmbeddingBag(200, 4, mode="sum", sparse=True)
    opt = LazyAdam(bag.parameters(), lr=0.01, betas=(0.9, 0.5), rowwise=True)
    (bag(*_bags(0)) ** 2).sum().backward()
    grad = bag.weight.grad.coalesce()
    opt.step()
    moment = opt.state[bag.weight]["exp_avg_sq"]
    assert moment.shape == (200, 1)
    rows = grad._indices()[0]
    assert torch.allclose(moment[rows, 0], 0.5 * grad._values().pow(2).mean(1))
    # a checkpoint from before the row-wise variant (no "rowwise" in its groups) resumes with its row means
    per_weight = LazyAdam(bag.parameters(), lr=0.01)
    bag.weight.grad = None
    (bag(*_bags(1)) ** 2).sum().backward()
    per_weight.step()
    saved = per_weight.state[bag.weight]["exp_avg_sq"].clone()
    older = per_weight.state_dict()
    for group in older["param_groups"]:
        del group["rowwise"]
    resumed = LazyAdam(bag.parameters(), lr=0.01, rowwise=True)
    resumed.load_state_dict(older)
    resumed.step()
    assert resumed.state[bag.weight]["exp_avg_sq"].shape == (200, 1)
    untouched = torch.ones(200, dtype=torch.bool)
    untouched[_bags(1)[0]] = False
    assert torch.allclose(resumed.state[bag.weight]["exp_avg_sq"][untouched, 0], saved[untouched].mean(1))


def test_our_adamw_matches_torchs_and_takes_its_saved_state():
    torch.manual_seed(0)
    ours, theirs = nn.Linear(6, 3), nn.Linear(6, 3)
    theirs.load_state_dict(ours.state_dict())
    opt_ours = AdamW(ours.parameters(), lr=0.05, weight_decay=0.1)
    opt_theirs = torch.optim.AdamW(theirs.parameters(), lr=0.05, weight_decay=0.1)
    x = torch.randn(32, 6)
    for step in range(30):
        for model, opt in ((ours, opt_ours), (theirs, opt_theirs)):
            opt.zero_grad()
            (model(x[step % 4 :: 4]) ** 2).mean().backward()
            opt.step()
    for a, b in zip(ours.parameters(), theirs.parameters(), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    # torch's saved state loads into ours (checkpoints written before the switch resume exactly)
    again = AdamW(ours.parameters(), lr=0.05, weight_decay=0.1)
    again.load_state_dict(opt_theirs.state_dict())
    for p_ours, p_theirs in zip(ours.parameters(), theirs.parameters(), strict=True):
        torch.testing.assert_close(again.state[p_ours]["exp_avg_sq"], opt_theirs.state[p_theirs]["exp_avg_sq"])
    assert float(again.state[next(ours.parameters())]["step"]) == 30
    saved = again.state_dict()
    assert sorted(saved["state"]) == [0, 1] and saved["param_groups"][0]["params"] == [0, 1]


def test_training_a_bag_of_words_model_never_imports_torch_dynamo():
    """torch's Optimizer base class imports torch._dynamo on first use: 1-2 s of every worker's start."""
    import subprocess
    import sys

    code = (
        "import sys, torch\n"
        "from torch import nn\n"
        "from core.training.optim import make_optimizer\n"
        "model = nn.Sequential(nn.EmbeddingBag(50, 4, sparse=True), nn.Linear(4, 2))\n"
        "opt = make_optimizer(model, [{'params': list(model.parameters())}], 1e-3, 0.01)\n"
        "for step in range(3):\n"
        "    opt.zero_grad(set_to_none=True)\n"
        "    model[1](model[0](torch.tensor([1, 2, 3]), torch.tensor([0]))).sum().backward()\n"
        "    opt.step()\n"
        "opt.load_state_dict(opt.state_dict())\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_clipping_sparse_gradients_equals_clipping_dense_ones():
    grads = []
    for sparse in (True, False):
        torch.manual_seed(1)
        bag, head = nn.EmbeddingBag(200, 4, mode="sum", sparse=sparse), nn.Linear(4, 2)
        head(bag(*_bags(3))).pow(2).sum().backward()
        params = [*bag.parameters(), *head.parameters()]
        norm = clip_grad_norm(params, 0.1)
        grads.append((norm, bag.weight.grad.to_dense() if sparse else bag.weight.grad, head.weight.grad))
    assert torch.allclose(grads[0][0], grads[1][0])
    assert torch.allclose(grads[0][1], grads[1][1], atol=1e-7) and torch.allclose(grads[0][2], grads[1][2])
    total = torch.cat([g.flatten() for g in grads[1][1:]]).norm()
    assert total <= 0.1 + 1e-5


def test_coalesced_marks_unique_sorted_rows_and_sums_the_others():
    values = torch.arange(12.0).reshape(3, 4)
    unique = torch.sparse_coo_tensor(torch.tensor([[2, 5, 9]]), values, (10, 4))
    assert not unique.is_coalesced()
    marked = coalesced(unique)
    assert marked.is_coalesced() and marked._values().data_ptr() == values.data_ptr()  # no copy
    assert torch.equal(marked.to_dense(), unique.to_dense())
    repeated = torch.sparse_coo_tensor(torch.tensor([[5, 2, 5]]), values, (10, 4))
    summed = coalesced(repeated)
    assert summed._indices()[0].tolist() == [2, 5]
    assert torch.equal(summed._values()[1], values[0] + values[2])


def test_sparse_bag_gradient_reaches_the_optimizer_without_a_sort():
    from core.encoders.bow_mlp import BowMLPConfig, BowMLPEncoder

    torch.manual_seed(0)
    model = BowMLPEncoder(BowMLPConfig(hidden=(8, 4)), 300)
    indices, offsets = _bags(16)
    model(indices, offsets, torch.ones(len(indices))).sum().backward()
    grad = model.bag.weight.grad
    marked = coalesced(grad)
    assert marked._values().data_ptr() == grad._values().data_ptr()
    assert torch.equal(marked.to_dense(), grad.coalesce().to_dense())


def test_optimizer_splits_sparse_tables_from_dense_layers():
    model = nn.Sequential(nn.EmbeddingBag(50, 4, sparse=True), nn.Linear(4, 2))
    groups = [{"params": list(model.parameters()), "lr_scale": 1.0}]
    opt = make_optimizer(model, groups, 1e-3, 0.0)
    assert isinstance(opt, DenseSparseAdamW) and len(opt.param_groups) == 2
    for group in opt.param_groups:
        group["lr"] = 0.5  # the trainer's schedule reaches both halves
    assert opt.dense.param_groups[0]["lr"] == opt.sparse.param_groups[0]["lr"] == 0.5
    dense = nn.Sequential(nn.Embedding(50, 4), nn.Linear(4, 2))
    assert isinstance(make_optimizer(dense, [{"params": list(dense.parameters())}], 1e-3, 0.0), torch.optim.AdamW)


def test_fit_encode_equals_fit_then_encode():
    texts = ["我很喜欢这本书", "this book is great", "这本书很差", "great great book 很好"] * 3
    one = BagOfWordsFeaturizer().fit_encode(texts)
    feat = BagOfWordsFeaturizer().fit(texts)
    two = [feat.encode_one(t) for t in texts]
    for (i1, w1), (i2, w2) in zip(one, two):
        assert np.array_equal(i1, i2) and np.allclose(w1, w2)
    assert any(len(i) for i, _ in one)


def test_fit_encode_equals_fit_then_encode_with_cuts_and_subwords():
    """The NumPy fit-and-encode pass keeps the vocabulary order, the min_df and max_features cuts
    and the subword terms of the two-pass path."""
    from core.text import BagOfWordsConfig

    texts = [f"football match {i % 7} 足球比赛 good goal number{i % 3}" for i in range(40)] + ["rare words once"]
    config = BagOfWordsConfig(min_df=2, max_features=25, subwords="on")
    one = BagOfWordsFeaturizer(config)
    rows = one.fit_encode(texts)
    two = BagOfWordsFeaturizer(config).fit(texts)
    assert one.vocabulary_ == two.vocabulary_ and np.allclose(one.idf_, two.idf_)
    assert len(one.vocabulary_) == 25 and any(term.startswith("#<") for term in one.vocabulary_)
    for text, (idx, w) in zip(texts, rows):
        idx2, w2 = two.encode_one(text)
        assert np.array_equal(idx, idx2) and np.allclose(w, w2)
    assert len(rows[-1][0]) == 0  # every term of the last text is below min_df


def test_sparse_bag_gives_the_embedding_bags_output_and_gradient():
    """Gathering a batch's unique rows first changes the gradient's layout, not its numbers."""
    from core.encoders.bow_mlp import sparse_bag

    torch.manual_seed(0)
    bag = nn.EmbeddingBag(30, 4, mode="sum", sparse=True)
    indices = torch.tensor([3, 7, 3, 12, 7, 7, 29])
    offsets = torch.tensor([0, 3, 5])
    weights = torch.rand(7)
    out = sparse_bag(bag, indices, offsets, weights)
    (out * torch.arange(12.0).view(3, 4)).sum().backward()
    ours = bag.weight.grad.to_dense()
    assert bag.weight.grad._nnz() == 4  # one row per distinct term, not one per occurrence
    bag.weight.grad = None
    expected = bag(indices, offsets, per_sample_weights=weights)
    (expected * torch.arange(12.0).view(3, 4)).sum().backward()
    assert torch.allclose(out, expected) and torch.allclose(ours, bag.weight.grad.to_dense())
