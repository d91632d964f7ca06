"""Varna: an organisation's privacy policy, executable.

The register (``varna.register``) describes what the organisation processes and where the data
lives; the engines and documents are driven by it. ``varna.core.Varna`` ties settings, register and
state together for the CLI, the web app and tests.
"""

__version__ = "0.1.0"
