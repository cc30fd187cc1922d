"""The clinic's records: SQLAlchemy models, sessions, queries, import and demo data.

This package knows nothing of Rasa; the action server and the `reconnect` command use it.
"""
