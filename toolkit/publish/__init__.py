"""Publish stage: Articles → files readers get (per-article JSON/Markdown/text; digests later)."""
