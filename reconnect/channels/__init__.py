"""How staff reach Reconnect: input channels named in `credentials.yml` and what they serve.

Like the records and guidance layers, nothing here imports the action server's `actions`.
"""
