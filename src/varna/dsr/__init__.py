"""Data-subject requests (GDPR Art. 15-21): pure planners and atomic executors."""
