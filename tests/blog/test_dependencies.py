"""blog is a content app others build on: nothing in it may import the search app
(search fills the seams blog offers, such as the after-article hook)."""

import ast
from pathlib import Path

import blog

BLOG_DIR = Path(blog.__file__).parent


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def test_no_module_under_blog_imports_search():
    offenders = [
        f"{path.relative_to(BLOG_DIR.parent)}: {name}"
        for path in sorted(BLOG_DIR.rglob("*.py"))
        for name in imported_modules(path)
        if name == "search" or name.startswith("search.")
    ]
    assert offenders == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from search.related import related_articles\n")
    assert imported_modules(module) == ["search.related"]
