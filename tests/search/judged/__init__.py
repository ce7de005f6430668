"""The demo site's judged queries, one module per kind of query.

Each kind module holds ``JUDGED`` (query -> {article slug: grade}, 0 = not
relevant, 3 = the article to read), written before the change it measures, and
``FLOOR``, the mean nDCG@10 that kind must keep on every engine. Its docstring
says what the kind tests and what it scored when it was written.
"""

import importlib
import pkgutil
from types import ModuleType

NOT_KINDS = {"slugs"}


def kinds() -> dict[str, ModuleType]:
    """Every kind module in this package, by name."""
    return {
        info.name: importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if info.name not in NOT_KINDS
    }
