"""Dependencies point inward: the core and the protocol stay free of I/O and UI libraries."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IO_AND_UI = {"PySide6", "pyqtgraph", "paho", "sqlite3", "zeroconf", "escpos"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", ["hall/core", "hall/protocol"])
def test_pure_packages_import_no_io_or_ui_library(package):
    offenders = {str(p.relative_to(ROOT)): sorted(imported_roots(p) & IO_AND_UI)
                 for p in (ROOT / package).rglob("*.py") if imported_roots(p) & IO_AND_UI}
    assert offenders == {}


def test_only_the_bus_adapter_imports_paho():
    users = sorted(str(p.relative_to(ROOT)) for folder in ("hall", "hall_cli", "kiosk", "counter",
                   "display_wall", "console", "printer", "provisioning", "broker_config", "bench")
                   for p in (ROOT / folder).rglob("*.py") if "paho" in imported_roots(p))
    assert users == ["hall/bus.py"]


def test_only_the_store_contains_sql():
    users = sorted(str(p.relative_to(ROOT)) for folder in ("hall", "console")
                   for p in (ROOT / folder).rglob("*.py") if "sqlite3" in imported_roots(p))
    assert users and all(u.startswith("hall/store/") for u in users), users


def test_the_core_never_reads_the_clock():
    for path in (ROOT / "hall" / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "datetime.now(" not in text and "time.time(" not in text, path


ROLE_PACKAGES = {"kiosk", "counter", "display_wall", "console", "printer", "provisioning",
                 "bench", "hall_cli"}


def test_the_shared_brain_imports_no_role_and_the_command_line_sits_above_them():
    # hall/__main__.py only hands `python -m hall` to the command line.
    offenders = {str(p.relative_to(ROOT)): sorted(imported_roots(p) & ROLE_PACKAGES)
                 for p in (ROOT / "hall").rglob("*.py")
                 if p.name != "__main__.py" and imported_roots(p) & ROLE_PACKAGES}
    assert offenders == {}
