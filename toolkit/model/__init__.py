"""Model management: fetch from the hub, convert to CTranslate2, synthesize, resolve, describe."""

from toolkit.model.store import DEFAULT_MODEL_DIR, ModelInfo, load_model_info, resolve_model_dir

__all__ = ["DEFAULT_MODEL_DIR", "ModelInfo", "load_model_info", "resolve_model_dir"]
