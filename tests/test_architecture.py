"""The three bounded contexts keep their import rules (STYLE.md §1)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> top-level modules it must never import
FORBIDDEN = {
    "matching": {"app", "rooms", "fastapi", "starlette", "sqlmodel", "sqlalchemy", "networkx"},
    "rooms": {"app", "matching", "fastapi", "sqlmodel", "sqlalchemy"},
}

# Inside app: folder -> modules it must never import (`from app import web` counts as app.web).
# The live API answers with data; the pages' words are app/web's (it is wired in by app.main).
FORBIDDEN_INSIDE_APP = {"app/live": {"app.web"}}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_forbidden_layers(package: str) -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN[package]
    ]
    assert offences == []


def test_the_architecture_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from sqlmodel import Session\nimport app.models\n", encoding="utf-8")
    assert imported_modules(bad) == {"sqlmodel", "app.models"}


def test_services_never_import_fastapi() -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "app").rglob("service.py"))
        for name in imported_modules(path)
        if name.split(".")[0] in {"fastapi", "starlette"}
    ]
    assert offences == []


def _imports_under(path: Path, forbidden: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = imported_modules(path) | {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        for alias in node.names
    }
    return sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))


@pytest.mark.parametrize("folder", sorted(FORBIDDEN_INSIDE_APP))
def test_app_folder_does_not_import_forbidden_parts_of_app(folder: str) -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for name in _imports_under(path, FORBIDDEN_INSIDE_APP[folder])
    ]
    assert offences == []


def test_the_check_inside_app_sees_a_module_imported_from_its_package(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from app import web\nfrom app.webhooks import x\n", encoding="utf-8")
    assert _imports_under(bad, {"app.web"}) == ["app.web"]
