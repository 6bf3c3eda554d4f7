"""Every app keeps one shape (STYLE.md section 1): a concern is a module or a package
of feature sub-modules, never a flat `selectors_history.py`; forms live in forms
modules; no private name crosses modules; one `for_organisation`; no import cycle."""

import ast
import re
from pathlib import Path

import pytest

from tests.test_layering import LAYERS, ROOT, modules, run_pytest

PROJECT = (*LAYERS, "config")  # the packages whose imports form the graph
CONCERNS = ("models", "services", "selectors", "views", "forms", "permissions", "urls")
FLAT = re.compile(rf"^(?:(?:{'|'.join(CONCERNS)})_\w+|\w+_(?:{'|'.join(CONCERNS)}))$")


def module_name(path: Path, root: Path = ROOT) -> str:
    """`participation/views/__init__.py` -> `participation.views`."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every project module (the apps and config) by dotted name."""
    paths = [p for top in PROJECT for p in sorted((root / top).rglob("*.py"))]
    return {module_name(p, root): p for p in paths}


def imports(path: Path) -> list[tuple[str, str | None]]:
    """Every import of a module, at any depth, as (module, imported name or None)."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def flat_concern_modules(app: str, root: Path = ROOT) -> list[str]:
    """The modules at an app's root named `<concern>_<x>.py` or `<x>_<concern>.py`."""
    return sorted(
        f"{app}/{path.name}"
        for path in (root / app).glob("*.py")
        if FLAT.match(path.stem)
    )


def dotted(node: ast.expr) -> str:
    """`forms.ModelForm` for an attribute chain, `Form` for a name, "" otherwise."""
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def forms_in_views(path: Path, root: Path = ROOT) -> list[str]:
    """The form classes defined in a view module, as "module: Class(Base)"."""
    module = module_name(path, root)
    if not any(part.startswith("views") for part in module.split(".")[1:]):
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    from_forms = {  # names imported from a forms module (django's or ours)
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and "forms" in (node.module or "")
        for alias in node.names
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for base in map(dotted, node.bases):
            head, last = base.split(".")[0], base.rsplit(".", 1)[-1]
            if last.endswith("Form") or {head, last} & from_forms or "forms." in base:
                found.append(f"{module}: {node.name}({base})")
    return found


def is_extension(name: str, root: Path = ROOT) -> bool:
    """A compiled extension module: C source or a built library, no Python source."""
    path = root.joinpath(*name.split("."))
    built = path.parent.glob(f"{path.name}.*.so") if path.parent.is_dir() else []
    return not path.with_suffix(".py").exists() and (
        path.with_suffix(".c").exists() or any(built)
    )


def private_imports(path: Path, root: Path = ROOT) -> list[str]:
    """The private names a module imports from another project module."""
    found = []
    for source, name in imports(path):
        if source.split(".")[0] not in PROJECT or name is None:
            continue
        private = name.startswith("_") and not name.startswith("__")
        if private and not is_extension(f"{source}.{name}", root):
            found.append(f"{module_name(path, root)}: from {source} import {name}")
    return found


def for_organisation_definitions(root: Path = ROOT) -> list[str]:
    """Every place defining `for_organisation`, as "path:line"."""
    return [
        f"{path.relative_to(root).as_posix()}:{node.lineno}"
        for path in modules(root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name == "for_organisation"
    ]


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Project module -> the project modules it imports (lazy imports included).

    `from pkg import sub` names the sub-module when there is one, else `pkg`;
    `import a.b.c` names the longest prefix that is a project module."""
    known = project_modules(root)
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        targets = set()
        for source, name in imports(path):
            candidates = [f"{source}.{name}"] if name else []
            parts = source.split(".")
            candidates += [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
            target = next((c for c in candidates if c in known), None)
            if target and target != module:
                targets.add(target)
        graph[module] = targets
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            if component:
                cycles.append(sorted([node, *component]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)


@pytest.mark.parametrize("app", LAYERS)
def test_no_concern_module_is_flat_at_an_app_root(app):
    assert flat_concern_modules(app) == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_form_class_in_a_view_module(path):
    assert forms_in_views(path) == []


@pytest.mark.parametrize(
    "path",
    [p for top in PROJECT for p in sorted((ROOT / top).rglob("*.py"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_private_name_is_imported_from_another_module(path):
    assert private_imports(path) == []


def test_for_organisation_is_defined_once_in_carte_models():
    places = for_organisation_definitions()
    assert len(places) == 1 and places[0].startswith("carte/models.py:"), places


def test_no_import_cycle_between_project_modules():
    assert import_cycles(import_graph()) == []


def plant(root: Path, files: dict[str, str]) -> Path:
    """Write a small tree of modules under root."""
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("name", "flat"),
    [
        ("selectors_history.py", True),
        ("views_maps.py", True),
        ("account_urls.py", True),
        ("forms_moderation.py", True),
        ("selectors.py", False),
        ("urls.py", False),
        ("ratelimit.py", False),
        ("context_processors.py", False),
    ],
)
def test_a_flat_concern_module_is_caught(tmp_path, name, flat):
    plant(tmp_path, {f"participation/{name}": ""})
    expected = [f"participation/{name}"] if flat else []
    assert flat_concern_modules("participation", root=tmp_path) == expected


def test_a_concern_package_module_is_not_flat(tmp_path):
    plant(tmp_path, {"participation/selectors/history.py": ""})
    assert flat_concern_modules("participation", root=tmp_path) == []


@pytest.mark.parametrize(
    ("module", "source", "caught"),
    [
        ("budget/views.py", "class F(forms.Form):\n    pass\n", True),
        ("budget/views/public.py", "class F(forms.ModelForm): ...\n", True),
        ("carte/views_maps.py", "class F(django.forms.Form): ...\n", True),
        ("budget/views/a.py", "from carte.forms import m\nclass F(m.B): ...\n", True),
        ("budget/views/a.py", "from carte.forms.m import B\nclass F(B): ...\n", True),
        ("budget/views/a.py", "class F(BaseForm): ...\n", True),
        ("budget/views/a.py", "class V(FormView): ...\n", False),
        ("budget/views/a.py", "class V(View): ...\n", False),
        ("budget/forms.py", "class F(forms.Form): ...\n", False),
    ],
)
def test_a_form_class_in_a_view_module_is_caught(tmp_path, module, source, caught):
    plant(tmp_path, {module: source})
    assert bool(forms_in_views(tmp_path / module, root=tmp_path)) is caught


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("from participation.services.interactions import _bump\n", True),
        ("def f():\n    from budget.views import (a, _organisation)\n", True),
        ("from carte.views import _backoffice as backoffice\n", True),
        ("from budget.counting import _mes\n", False),  # a compiled extension
        ("from budget.counting.mes import key\n", False),
        ("from django.utils.translation import gettext as _\n", False),
        ("from os import _exit\n", False),  # not a project module
        ("from budget import __version__\n", False),
        ("import budget.counting._mes\n", False),
    ],
)
def test_a_private_import_is_caught(tmp_path, source, caught):
    extension = {"budget/counting/_mes.c": "", "budget/counting/mes.py": ""}
    plant(tmp_path, {**extension, "cms/a.py": source})
    assert bool(private_imports(tmp_path / "cms/a.py", root=tmp_path)) is caught


def test_a_private_import_from_python_source_is_caught_even_beside_c(tmp_path):
    files = {"budget/counting/_mes.c": "", "budget/counting/_mes.py": ""}
    plant(tmp_path, {**files, "cms/a.py": "from budget.counting import _mes\n"})
    assert private_imports(tmp_path / "cms/a.py", root=tmp_path)


def test_a_second_for_organisation_is_caught(tmp_path):
    one = "class ScopedQuerySet:\n    def for_organisation(self, o): ...\n"
    plant(tmp_path, {"carte/models.py": one})
    assert for_organisation_definitions(tmp_path) == ["carte/models.py:2"]
    plant(tmp_path, {"budget/models.py": "def f():\n    def for_organisation(): ...\n"})
    assert for_organisation_definitions(tmp_path) == [
        "budget/models.py:2",
        "carte/models.py:2",
    ]


@pytest.mark.parametrize(
    ("files", "cycles"),
    [
        (  # a lazy import hides a cycle: it is found all the same
            {
                "participation/selectors/__init__.py": "",
                "participation/selectors/a.py": (
                    "from participation.selectors import b\n"
                ),
                "participation/selectors/b.py": (
                    "def f():\n    from participation.selectors.a import g\n"
                ),
            },
            [["participation.selectors.a", "participation.selectors.b"]],
        ),
        (  # `import a.b` and `from a import b` name the same module
            {
                "carte/x.py": "import cms.y\n",
                "cms/__init__.py": "",
                "cms/y.py": "from config import z\n",
                "config/z.py": "from carte.x import f\n",
            },
            [["carte.x", "cms.y", "config.z"]],
        ),
        (  # a chain without a way back is no cycle
            {
                "carte/a.py": "from carte.b import f\n",
                "carte/b.py": "import carte.c\n",
                "carte/c.py": "from django.db import models\n",
            },
            [],
        ),
        (  # importing a name of the package itself points at its __init__
            {
                "budget/__init__.py": "from budget.a import f\n",
                "budget/a.py": "from budget import g\n",
            },
            [["budget", "budget.a"]],
        ),
    ],
)
def test_an_import_cycle_is_caught(tmp_path, files, cycles):
    plant(tmp_path, files)
    assert import_cycles(import_graph(tmp_path)) == cycles


def test_a_private_import_makes_the_real_test_fail():
    """End to end: a private import dropped in the tree makes this test file fail."""
    wrong = ROOT / "carte" / "temporary_private_import.py"
    wrong.write_text("from carte.models import _hidden  # noqa\n", encoding="utf-8")
    try:
        selection = "test_no_private_name and temporary_private_import"
        result = run_pytest(Path(__file__), selection)
    finally:
        wrong.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "carte.temporary_private_import: from carte.models import _hidden" in (
        result.stdout
    )
