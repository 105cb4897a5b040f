"""The search package's shape: imports go one way (no cycles, none hidden inside functions),
nothing in it imports the models module that imports it, and no module grows past ~400 lines."""

import ast
from pathlib import Path

import cases.search

PACKAGE = Path(cases.search.__file__).resolve().parent
# Imported by CasesConfig.ready, never by the package: it needs the models, which import the package.
CONNECTED_LATER = {"cases.search.signal_handlers"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


def imported(node) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return []


def project_imports(tree: ast.Module, names: set[str]) -> tuple[set[str], list[str]]:
    """(package modules imported at module level, project imports made inside functions)."""
    top, nested = set(), []
    for statement in tree.body:
        for name in imported(statement):
            if name in names:
                top.add(name)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                nested += [n for n in imported(inner) if n.split(".")[0] in {"cases", "awards", "portal"}]
    return top, nested


def test_search_package_imports_have_no_cycle():
    trees = modules()
    names = set(trees)
    graph = {name: project_imports(tree, names)[0] - {name} for name, tree in trees.items()}
    # A package's __init__ is imported before any of its modules: it depends on its parents too.
    for name in names:
        parent = name.rpartition(".")[0]
        while parent in names:
            graph[name].add(parent)
            parent = parent.rpartition(".")[0]
    state: dict[str, int] = {}

    def visit(name, path):
        if state.get(name) == 2:
            return
        assert state.get(name) != 1, " -> ".join([*path, name])
        state[name] = 1
        for other in sorted(graph[name]):
            # A parent package importing its own submodule is how __init__ re-exports work.
            if not name.startswith(other + ".") and not other.startswith(name + "."):
                visit(other, [*path, name])
        state[name] = 2

    for name in sorted(graph):
        visit(name, [])


def test_no_project_imports_inside_functions():
    hidden = {name: nested for name, tree in modules().items() if (nested := project_imports(tree, set())[1])}
    assert not hidden


def test_only_the_signal_handlers_import_the_models():
    for name, tree in modules().items():
        top = {n for statement in tree.body for n in imported(statement)}
        if name not in CONNECTED_LATER:
            assert not {n for n in top if n.startswith(("cases.models", "awards.models"))}, name


def test_modules_stay_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert max(sizes.values()) <= 420, sizes


def test_the_queryset_hands_off_to_the_search(library):
    from cases.models import Case

    ranked = Case.objects.published().search("凉山")
    assert list(ranked) == list(cases.search.apply_search(Case.objects.published(), "凉山").queryset)
    assert ranked.first().unit.prefecture.short_name == "凉山"
