"""Typed errors that carry a message a person can act on."""

from __future__ import annotations


class StudioError(Exception):
    """Base class: the message says what is wrong and what to do about it."""


class DataError(StudioError):
    """A file or dataset cannot be read or used as it is."""

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class UnknownDatasetError(StudioError, KeyError):
    """No dataset with that id exists in the store."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "unknown dataset"


class UnknownRunError(StudioError, KeyError):
    """No run with that id exists in the store."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown run"


class BrokenRunError(StudioError):
    """A run folder whose config or evaluation cannot be read."""


class ArtefactError(StudioError):
    """A run's per-text artefacts (``points.parquet``, ``embeddings.npy``) are missing or damaged."""


class InvalidNameError(StudioError, ValueError):
    """A name or id that would be unsafe as a path component."""


class ModelFileError(StudioError):
    """A saved model, tokeniser or featuriser file is missing or corrupt."""


class NotFittedError(StudioError, RuntimeError):
    """A featuriser, tokeniser or projector was used before ``fit``/``train``."""
