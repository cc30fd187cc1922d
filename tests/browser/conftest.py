"""The browser tests run in .venv-browser (Playwright), not in Rasa's environment: pytest is
started with --confcutdir=tests/browser so that the Rasa-side fixtures are not loaded."""
