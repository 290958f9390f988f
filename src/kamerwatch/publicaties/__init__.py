"""Officiële bekendmakingen: the official publication of documents (docs/media.md)."""
