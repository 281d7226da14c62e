"""Key derivation and the sealed file envelope; knows nothing of TinyDB or the domain."""
