"""What the model sees: toolkit.text.arabic.normalize (kept here for the ingest stage's
importers on other branches; new code imports toolkit.text)."""

from toolkit.text.arabic import fold_presentation_forms, normalize

__all__ = ["fold_presentation_forms", "normalize"]
