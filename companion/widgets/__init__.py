"""Reusable widgets: they render, and never touch storage."""
