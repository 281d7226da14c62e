"""Plain dataclasses and pure rules; imports only the standard library."""
