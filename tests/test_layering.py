"""The architecture stays honest: imports follow carte ← participation ← budget ← cms,
pure modules import no framework (STYLE.md section 1)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["carte", "participation", "budget", "cms"]  # each imports only those before
PURE = (
    "carte.errors",
    "carte.geometry",
    "carte.formats",
    "carte.colours",
    "carte.roles",
    "participation.phases",
    "participation.workflow",
    "participation.words",
    "budget.lifecycle",
    "budget.counting",
)
IMPURE = {"django", "rest_framework", "wagtail", "allauth", *LAYERS}
NEVER = ("django.contrib.gis", "leaflet.forms", "leaflet.admin")  # they need GDAL


def layering_violations(path: Path, root: Path = ROOT) -> list[str]:
    """The forbidden imports of one module, as "module: imported name"."""
    module = ".".join(path.relative_to(root).with_suffix("").parts)
    higher = LAYERS[LAYERS.index(module.split(".")[0]) + 1 :]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom):
            names += [node.module or ""]
        for name in names:
            top = name.split(".")[0]
            if top in higher or name.startswith(NEVER):
                found.append(f"{module}: {name}")
            elif (
                module.startswith(PURE) and top in IMPURE and not name.startswith(PURE)
            ):
                found.append(f"pure {module}: {name}")
    return found


def modules(root: Path = ROOT) -> list[Path]:
    return sorted(p for a in LAYERS for p in (root / a).rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path):
    assert layering_violations(path) == []


@pytest.mark.parametrize("app", LAYERS)
def test_app_init_files_stay_empty(app):
    assert (ROOT / app / "__init__.py").read_text(encoding="utf-8").strip() == ""


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("carte/wrong.py", "from participation import models\n", "carte.wrong"),
        ("participation/wrong.py", "import budget.models\n", "participation.wrong"),
        ("budget/wrong.py", "from cms.models import HomePage\n", "budget.wrong"),
        ("budget/counting/wrong.py", "import django\n", "pure budget.counting"),
        ("carte/geometry.py", "from django.conf import settings\n", "pure carte"),
        ("carte/geo.py", "from leaflet.forms.widgets import X\n", "carte.geo"),
    ],
)
def test_a_wrong_import_in_a_temporary_module_is_caught(
    tmp_path, module, source, expected
):
    """Write a deliberately wrong module in a copy of the tree: the check fails."""
    path = tmp_path / module
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    violations = layering_violations(path, root=tmp_path)
    assert violations and violations[0].startswith(expected)


QUIET_RUN = ["-q", "-p", "no:cacheprovider"]


def run_pytest(test_file: Path, selection: str) -> subprocess.CompletedProcess:
    """The tests of `test_file` selected by `-k selection`, run by a fresh pytest."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(test_file), "-k", selection, *QUIET_RUN],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_wrong_import_makes_the_real_test_fail(tmp_path):
    """End to end: a wrong module dropped in the tree makes this test file fail."""
    wrong = ROOT / "carte" / "_temporary_wrong_import.py"
    wrong.write_text("from cms.models import HomePage  # noqa\n", encoding="utf-8")
    try:
        result = run_pytest(
            Path(__file__), "test_imports_follow_the_layers and _temporary_wrong_import"
        )
    finally:
        wrong.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "carte._temporary_wrong_import: cms.models" in result.stdout


def test_pure_modules_load_without_django():
    """budget.counting and the other pure modules import with no Django at all."""
    code = (
        "import sys, importlib\n"
        f"for name in {PURE!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ModuleNotFoundError as error:\n"
        "        if error.name != name: raise\n"
        "assert not any(m.split('.')[0] in {'django', 'wagtail', 'rest_framework'}"
        " for m in sys.modules), sorted(m for m in sys.modules if 'django' in m)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
