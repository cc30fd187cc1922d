"""Custom NLU components of Reconnect (referenced by name from config.yml)."""
