"""Encoder families: each maps texts to vectors and carries a classification head."""
