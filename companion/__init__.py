"""companion: a private, encrypted terminal companion for reflecting on interdependence."""

__version__ = "0.1.0"
