"""Use cases over an unlocked vault."""
