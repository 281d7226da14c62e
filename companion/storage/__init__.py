"""The encrypted vault on disk: atomic saves, the lock, backups and repositories."""
