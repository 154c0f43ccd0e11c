"""The layer table of DESIGN.md, enforced: a package imports only the layers below it.

Every import statement of every module (inside functions too, and in the Cython sources) is
read with ``ast``; an import of a higher layer fails, and so does an import cycle between
modules. Each top-level subpackage is also imported alone in a fresh interpreter, without
``pytheano/__init__`` (which imports everything): it must work and load nothing above it.
"""
import ast
import os
import re
import subprocess
import sys

import pytest

PKG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pytheano")

# DESIGN.md's layer table: the first name after "pytheano." decides the layer.
LAYERS = {
    "configparser": 0, "configdefaults": 0, "errors": 0, "utils": 0, "hooks": 0, "compat": 0,
    "_core": 1,
    "graph": 2,
    "link": 3,
    "scalar": 4,
    "tensor": 5,
    "rewriting": 6, "gradient": 6, "ifelse": 6, "scan": 6, "updates": 6,
    "sparse": 6, "typed_list": 6,
    "compile": 7,
    "cuda": 8,
    # printing, the Theano import-path shims and the package itself
    "printing": 9, "gof": 9, "sandbox": 9, "scan_module": 9, "raise_op": 9, "gpuarray": 9,
    "misc": 9, "tests": 9, "cache": 9,
    "": 9,
}


def layer(module):
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    if top not in LAYERS:
        raise AssertionError("pytheano.%s is not in the layer table (tests/test_layering.py "
                             "and DESIGN.md): give it a layer" % top)
    return LAYERS[top]


def _modules():
    found = {}
    for root, _, files in os.walk(PKG):
        for f in files:
            if f.endswith((".py", ".pyx")):
                path = os.path.join(root, f)
                rel = os.path.relpath(path, os.path.dirname(PKG))
                name = rel.rsplit(".", 1)[0].replace(os.sep, ".")
                if name.endswith(".__init__"):
                    name = name[:-len(".__init__")]
                found[name] = path
    return found


MODULES = _modules()
_PYX_IMPORT = re.compile(r"^\s*(from\s+[\w.]+\s+import\s+[^#\n]+|import\s+[\w., ]+)", re.M)


def _tree(path):
    src = open(path).read()
    if path.endswith(".pyx"):
        # Cython is not Python: keep the import statements (not cimports) and parse those.
        lines = []
        for m in _PYX_IMPORT.finditer(src):
            stmt = m.group(1).strip()
            if " cimport " not in stmt and not stmt.startswith("cimport"):
                lines.append(stmt.rstrip("\\("))
        src = "\n".join(line for line in lines if not line.endswith(","))
    return ast.parse(src)


def _imports(module, path):
    """(imported pytheano module, line) for every import statement of the module."""
    package = module if path.endswith("__init__.py") else module.rsplit(".", 1)[0]
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                target = base + "." + alias.name
                if target in MODULES:
                    yield target, node.lineno
                elif base in MODULES:
                    yield base, node.lineno


IMPORTS = {m: sorted(set(_imports(m, p))) for m, p in MODULES.items()}


def test_every_module_has_a_layer():
    for module in MODULES:
        layer(module)


def test_no_upward_import():
    upward = ["%s (layer %d) imports %s (layer %d), line %d"
              % (m, layer(m), t, layer(t), line)
              for m, targets in IMPORTS.items() for t, line in targets
              if layer(t) > layer(m)]
    assert not upward, "Imports of a higher layer (use pytheano.hooks):\n" + "\n".join(upward)


def _cycles(graph):
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, sccs = {}, {}, set(), [], []
    counter = [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(graph.get(w, ()))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    scc = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        scc.append(w)
                        if w == v:
                            break
                    if len(scc) > 1:
                        sccs.append(sorted(scc))
    return sccs


def test_no_import_cycle():
    graph = {m: sorted({t for t, _ in targets if t != m}) for m, targets in IMPORTS.items()}
    cycles = _cycles(graph)
    assert not cycles, "Import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_cycle_finder_finds_cycles():
    assert _cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]
    assert _cycles({"a": ["b"], "b": []}) == []


_ALONE = """
import os, sys, types
pkg = types.ModuleType("pytheano")
pkg.__path__ = [%(pkg)r]
pkg.__version__ = "test"
sys.modules["pytheano"] = pkg
import importlib
importlib.import_module(%(module)r)
print("\\n".join(sorted(m for m in sys.modules if m.startswith("pytheano."))))
"""

SUBPACKAGES = ["pytheano.configparser", "pytheano.errors", "pytheano.hooks", "pytheano._core",
               "pytheano.graph", "pytheano.link", "pytheano.scalar", "pytheano.tensor",
               "pytheano.gradient", "pytheano.ifelse", "pytheano.compile", "pytheano.cuda",
               "pytheano.printing"]


@pytest.mark.parametrize("module", SUBPACKAGES)
def test_subpackage_imports_alone(module):
    code = _ALONE % {"pkg": PKG, "module": module}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=os.path.dirname(PKG), timeout=120)
    assert proc.returncode == 0, proc.stderr
    loaded = proc.stdout.split()
    above = [m for m in loaded if layer(m) > layer(module)]
    assert not above, "%s loads modules of higher layers: %s" % (module, above)


_CLASS_NAME_TEST = re.compile(
    r"type\([^)]*\)\.__name__\s*(==|!=|in\b)|__class__\.__name__\s*(==|!=)|op_name\s*==")


def test_no_op_matched_by_class_name():
    """Ops are told apart by isinstance or a protocol, never by comparing class names."""
    found = []
    for module, path in MODULES.items():
        for lineno, line in enumerate(open(path), 1):
            if _CLASS_NAME_TEST.search(line):
                found.append("%s:%d: %s" % (module, lineno, line.strip()))
    assert not found, "\n".join(found)
