"""The demo company: a deterministic Swedish care-tech firm on SQLite, with its register."""
