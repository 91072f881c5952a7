"""Translations of the UI's strings, one package per language (English is the source)."""
