"""The modules of the search app import each other one way: no circle, so each
can be read, loaded and tested from its own imports down."""

import ast
from pathlib import Path

import search

SEARCH_DIR = Path(search.__file__).parent


def imported_search_modules(path: Path) -> set[str]:
    """search.X modules the file imports anywhere, functions included;
    `from search import X` counts as search.X."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("search."))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "search":
                names.update(f"search.{a.name}" for a in node.names)
            elif node.module.startswith("search."):
                names.add(node.module)
    return names


def module_graph(root: Path) -> dict[str, set[str]]:
    modules = {
        ".".join(("search", *path.relative_to(root).with_suffix("").parts)): path
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
    }
    return {
        name: imported_search_modules(path) & modules.keys()
        for name, path in modules.items()
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle found by a depth-first walk, as the modules on it."""
    found, done = [], set()

    def walk(name: str, trail: list[str]) -> None:
        if name in trail:
            found.append(trail[trail.index(name) :] + [name])
            return
        if name in done:
            return
        for imported in sorted(graph.get(name, ())):
            walk(imported, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        walk(name, [])
    return found


def test_no_module_of_the_search_app_imports_itself_back():
    assert circles(module_graph(SEARCH_DIR)) == []


def test_the_check_finds_a_circle_through_an_import_inside_a_function(tmp_path):
    (tmp_path / "a.py").write_text("from search import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from search.a import x\n")
    assert circles(module_graph(tmp_path)) == [["search.a", "search.b", "search.a"]]
