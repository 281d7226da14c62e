"""The demo journal's words, shared by the app (which shows them before the journal is loaded) and the service
that makes the demo (services/demo.py)."""

DEMO_PASSPHRASE = "demo journal"
DEMO_NOTE = f"This is the demo: fictional entries, deleted when you quit. Its passphrase is \"{DEMO_PASSPHRASE}\"."
