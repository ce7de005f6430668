# The demo loads images whose renditions are cached by id, as blog tests do.
from tests.blog.conftest import fresh_rendition_cache  # noqa: F401
