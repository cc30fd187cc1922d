"""Guidance: pure functions from a client's record to findings, options and drafts.

Knows nothing of Rasa or SQL; it takes plain data and is tested with plain data.
"""
