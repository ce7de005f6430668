import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rendition_cache():
    """Renditions are cached by image id, and ids repeat across tests whose
    rows were rolled back; a stale entry would hide a missing rendition."""
    cache.clear()
