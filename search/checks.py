"""System checks: a site that turns semantic search on without the packages it
runs on hears so from `manage.py check`, runserver and migrate, not from a
reader's failed search."""

import importlib.util

from django.core.checks import Error

from search import embeddings
from search.conf import get_search_settings

SEMANTIC_PACKAGES = (embeddings.MODEL_PACKAGE, "onnxruntime", "onnx", "tokenizers")


def check_semantic_packages(app_configs=None, **kwargs) -> list[Error]:
    if not get_search_settings()["SEMANTIC_RERANK"]:
        return []
    missing = [
        name for name in SEMANTIC_PACKAGES if importlib.util.find_spec(name) is None
    ]
    if not missing:
        return []
    return [
        Error(
            f"Semantic search is on but {', '.join(missing)} is not installed.",
            hint=(
                'Install it with pip install "wagtail-relief[semantic]", or turn it off '
                'with RELIEF_SEARCH = {..., "SEMANTIC_RERANK": False}.'
            ),
            id="relief_search.E001",
        )
    ]
