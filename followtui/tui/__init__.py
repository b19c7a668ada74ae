"""The Textual app: screens, widgets, bindings and the stylesheet. The only layer that imports Textual."""
