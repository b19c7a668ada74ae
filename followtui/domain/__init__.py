"""Pure domain layer: models, signals and queue rules. No I/O, no Textual."""
