"""`manage.py check` (and so runserver and migrate) says when semantic search is
on without the packages it runs on, before a reader's search fails on it."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from search import embeddings


def without_model_package(name, *args, **kwargs):
    if name == embeddings.MODEL_PACKAGE:
        return None
    return real_find_spec(name, *args, **kwargs)


real_find_spec = embeddings.importlib.util.find_spec


def test_check_names_the_missing_semantic_extra(settings):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "SEMANTIC_RERANK": True}
    with (
        mock.patch.object(
            embeddings.importlib.util, "find_spec", side_effect=without_model_package
        ),
        pytest.raises(SystemCheckError, match=r"relief\[semantic\]"),
    ):
        call_command("check")


def test_check_passes_with_semantic_search_off(settings):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "SEMANTIC_RERANK": False}
    with mock.patch.object(
        embeddings.importlib.util, "find_spec", side_effect=without_model_package
    ):
        call_command("check")
