"""companion's own themes: dark, light and high contrast (names as in settings.toml)."""

from __future__ import annotations

from textual.theme import Theme

THEMES = [
    # Textual's dark palette: calm blues on near-black.
    Theme(name="companion-dark", primary="#0178D4", secondary="#004578", accent="#ffa62b", warning="#ffa62b",
          error="#ba3c5b", success="#4EBF71", foreground="#e0e0e0"),
    # Warm paper, ink-blue: for light terminals.
    Theme(name="companion-light", primary="#1F5F99", secondary="#3B7BB8", accent="#A3530F", warning="#8A5A00",
          error="#A3253F", success="#2E7D4A", foreground="#1E1E1E", background="#F4F1EA", surface="#FBF9F4",
          panel="#E4DFD3", dark=False, variables={"footer-key-foreground": "#1F5F99", "border-blurred": "#8C8577"}),
    # Black and white with one bright accent: every edge and the focus stand out.
    Theme(name="companion-high-contrast", primary="#FFFF00", secondary="#00FFFF", accent="#FFFF00",
          warning="#FFFF00", error="#FF6E6E", success="#7CFF7C", foreground="#FFFFFF", background="#000000",
          surface="#000000", panel="#262626", dark=True,
          variables={"text-muted": "#FFFFFF", "border": "#FFFF00", "border-blurred": "#FFFFFF",
                     "footer-key-foreground": "#FFFF00", "block-cursor-background": "#FFFF00",
                     "block-cursor-foreground": "#000000", "input-selection-background": "#FFFF00 40%"}),
]
THEME_TITLES = {"companion-dark": "dark", "companion-light": "light", "companion-high-contrast": "high contrast"}
