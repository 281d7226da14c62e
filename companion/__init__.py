"""companion: a private, encrypted terminal companion for reflecting on interdependence."""

__version__ = "0.3.0"  # bumped when the file format or the commands change: see CHANGELOG.md
