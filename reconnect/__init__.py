"""Reconnect: decision support for therapists whose clients keep missing sessions.

The product's own package, beside the Rasa project's fixed top level:

- `reconnect.records`: the clinic's records (SQLAlchemy models, sessions, queries, the
  importer, the demo clinic, migrations). Knows nothing of Rasa.
- `reconnect.guidance`: pure functions from a record and the therapist's words to findings,
  options, plans and drafts. Knows nothing of Rasa or SQL.
- `reconnect.nlu`: the custom NLU components named in `config.yml`.
- `reconnect.channels`: how staff reach the assistant (web widget, Slack, sign-in).
- `reconnect.settings`, `reconnect.cli`: configuration and the `reconnect` command.

The action server's package `actions/` uses these; none of them imports `actions`.
"""
