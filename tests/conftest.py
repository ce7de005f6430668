import pytest

from tests.factories import build_site


@pytest.fixture
def site_tree(db):
    """(home, blog_index) under the default site."""
    return build_site()


@pytest.fixture
def blog_index(site_tree):
    return site_tree[1]
