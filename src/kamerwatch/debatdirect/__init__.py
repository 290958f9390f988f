"""Debat Direct: video of debates (search parser, matching, harvest; docs/media.md)."""
