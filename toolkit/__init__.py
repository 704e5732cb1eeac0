"""Offline Arabic→English translation and briefing toolkit.

Stages, one sub-package each: ingest → glossary → translate → brief → publish.
The CLI (toolkit.cli) is a thin layer over them.
"""

__version__ = "0.1.0"
