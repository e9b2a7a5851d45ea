"""Who may do what: accounts with salted password hashes, per-workspace roles, sign-in throttling and sessions.

Accounts and grants live in one record store every app server of a deployment reads (``records``): a Chroma
collection when a Chroma server is configured, a 0600 JSON file under ``data_dir`` otherwise.
"""
