"""The toolkit's import graph, read from the source with ast (stdlib only; imports nothing of
the toolkit, so it measures any checkout the same way).

    python3 .ci/imports.py [ROOT]          # figures, one a line
    python3 .ci/imports.py [ROOT] --list   # and every circle, upward arrow and nested import

Counted over toolkit/ (ROOT defaults to the checkout this file lies in):
- units: a top-level module or package of toolkit (toolkit.cli, toolkit.runner, ...);
- circles: groups of units that reach each other (strongly connected, 2 or more units),
  over every import, whether at module level or inside a function;
- upward: arrows from a unit to one in a higher layer (LAYERS below, low to high);
- nested: import statements of toolkit modules inside a function (not at module level),
  all of them and those outside toolkit/cli;
- record readers: modules with a line of code that names a file of an `articles` folder
  (`/ "articles"` and `.json` on one line: a glob of `*.json` or one `<id>.json`).
"""

import ast
import re
import sys
from pathlib import Path

# Low to high, as the layers contract in pyproject.toml (lint-imports) has them. A unit may
# import its own layer and lower ones. Units not named here are reported as "unplaced".
LAYERS = [
    ["errors"],
    ["document", "fsutil", "progress", "processes"],
    ["corpus", "text", "state", "limits"],
    ["ingest"],
    ["collect"],
    ["glossary"],
    ["names"],
    ["model"],
    ["translate"],
    ["brief"],
    ["stories"],
    ["alerts"],
    ["publish"],
    ["archive"],
    ["deliver"],
    ["pipeline"],
    ["runner"],
    ["evaluate"],
    ["bench"],
    ["nightly"],
    ["cli"],
]
LEVEL = {unit: level for level, units in enumerate(LAYERS) for unit in units}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "toolkit" or len(parts) < 2 or parts[1] in ("__main__",):
        return None
    return parts[1]


def imports(root: Path, path: Path):
    """(imported module, line, nested) for each toolkit import in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(root, path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    nested_lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    nested_lines.add(inner.lineno)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            targets = [
                t
                for t in targets[1:]
                if (root / Path(*t.split("."))).exists()
                or (root / Path(*t.split("."))).with_suffix(".py").exists()
            ] or [base]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "toolkit":
                yield target, node.lineno, node.lineno in nested_lines


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of 2 or more (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


RECORD = re.compile(r"""/\s*["']articles["'].*\.json""")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    listing = "--list" in sys.argv
    files = sorted((root / "toolkit").rglob("*.py"))
    graph: dict[str, set[str]] = {}
    edges: dict[tuple[str, str], list[str]] = {}
    nested: set[tuple[str, int]] = set()
    readers = []
    for path in files:
        here = module_name(root, path)
        source = unit(here)
        text = path.read_text(encoding="utf-8")
        if any(
            RECORD.search(line) for line in text.splitlines() if not line.strip().startswith("#")
        ):
            readers.append(str(path.relative_to(root)))
        for target, line, inner in imports(root, path):
            if inner:
                nested.add((str(path.relative_to(root)), line))
            to = unit(target)
            if source and to and source != to:
                graph.setdefault(source, set()).add(to)
                edges.setdefault((source, to), []).append(f"{path.relative_to(root)}:{line}")
    groups = circles(graph)
    upward = [
        (a, b) for (a, b) in sorted(edges) if a in LEVEL and b in LEVEL and LEVEL[a] < LEVEL[b]
    ]
    unplaced = sorted({u for pair in edges for u in pair if u not in LEVEL})
    code = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)
    tests = sum(
        len(p.read_text(encoding="utf-8").splitlines()) for p in (root / "tests").rglob("*.py")
    )
    print(f"import circles: {len(groups)}")
    print(f"upward imports (unit pairs): {len(upward)}")
    outside_cli = [n for n in nested if not n[0].startswith("toolkit/cli/")]
    print(f"imports inside functions: {len(nested)} (outside toolkit/cli: {len(outside_cli)})")
    print(f"modules naming article records: {len(readers)}")
    print(f"lines of code: toolkit {code}, tests {tests}")
    if unplaced:
        print(f"unplaced units: {' '.join(unplaced)}")
    if listing:
        for group in groups:
            print("circle:", " ".join(group))
        for a, b in upward:
            print(f"upward: {a} -> {b}  ({', '.join(edges[a, b])})")
        for path, line in sorted(nested):
            print(f"nested: {path}:{line}")
        for path in readers:
            print("record reader:", path)


if __name__ == "__main__":
    main()
