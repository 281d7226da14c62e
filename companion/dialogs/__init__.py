"""Modal dialogs: they return values and save nothing."""
