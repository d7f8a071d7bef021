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
