"""Encoder families: each maps texts to vectors and carries a classification head."""

# here, not in base.py: the command line's --help and the config checks name the encoders without torch
ENCODER_NAMES = ("bow_mlp", "rbf", "transformer", "baseline", "pretrained", "ensemble")
TORCH_ENCODERS = ("bow_mlp", "rbf", "transformer")
