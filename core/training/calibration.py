"""Temperature scaling of a trained classifier, folded into its output layer.

A network trained to convergence is over-confident: the default Transformer said "> 99.9%" about
"What time is it?" and about most of its own mistakes. One temperature ``T``, fitted on the
validation texts (the ones early stopping already watched), divides the logits; ``softmax(z / T)``
keeps every prediction's class and makes its confidence mean what it says (Guo et al., 2017,
"On Calibration of Modern Neural Networks"). Dividing the head's weight and bias by ``T`` gives
the same logits, so the saved weights carry the calibration and every reader of them (Evaluate,
the Playground, predict, an exported bundle) gets it with nothing else to load.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MIN_TEXTS = 20  # fewer validation texts than this tell a temperature too little: the logits are left alone


def fit_head_temperature(predictor, texts: Sequence[str], y: np.ndarray) -> float | None:
    """The temperature that best calibrates ``predictor`` on ``texts`` with labels ``y``; None when the
    texts are too few, or hold one class, to fit one."""
    from core.encoders.ensemble import fit_log_temperature

    if len(texts) < MIN_TEXTS or len(np.unique(y)) < 2:
        return None
    # on the logits, in float64: probabilities clipped at 1e-12 flattened every margin above 27.6, and the
    # temperature fitted to them left a confident network over-confident (95% sure, 90% right). Found to
    # the last digit: at the ensemble's 1e-3, two runs that trained to the same weights (whole batches
    # and micro-batches) were calibrated 0.07% apart.
    return fit_log_temperature(predictor.predict_logits(list(texts)), np.asarray(y), tolerance=1e-7)


def fold_temperature(head, temperature: float) -> None:
    """Divide a linear ``head``'s weight and bias by ``temperature``: its logits become ``z / T``."""
    import torch

    with torch.no_grad():
        head.weight.div_(temperature)
        if head.bias is not None:
            head.bias.div_(temperature)
