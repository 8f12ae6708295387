"""Packages depend downward only (DESIGN, "floors"): a walk over every import fails on an upward one.

Every ``.py`` under ``lms/`` and ``courses/`` is parsed; every import in it counts, including
the ones inside functions (an import inside a function to dodge a cycle is still a dependency).
The app factory (``lms/__init__.py``), which wires every package together, is exempt.

Floors, lowest first; a package may import itself and what is below it:
  0 ground: config, lms.db, lms.signals, lms.errors, lms.extensions, lms.celery_app, lms.timeutil
  1 lms.core (imports no domain, nor accounts: what it shows comes through its registries)
  2 lms.accounts
  3 lms.audit, beside and above lms.accounts: the audit log imports accounts (User, scope) and
    subscribes to accounts' signals; accounts never imports the audit log
  4 engines: lms.assessment, lms.scoring — they know nothing of the domains that use them
  5 domains: courses, lms.training, lms.mentorship, lms.care, lms.innovation, lms.competitions,
    lms.selection, lms.publicity — siblings that
    never import each other
  6 lms.notifications, lms.certificates — they serve the domains through signals and
    registries, and import no domain
  7 overview
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# ONE table: package → floor. A new package gets a line here.
FLOORS = {
    "config": 0,
    "lms.db": 0,
    "lms.signals": 0,
    "lms.errors": 0,
    "lms.extensions": 0,
    "lms.celery_app": 0,
    "lms.timeutil": 0,
    "lms.core": 1,
    "lms.accounts": 2,
    "lms.audit": 3,  # beside and above accounts: audit imports accounts, never the reverse
    "lms.assessment": 4,  # question banks, papers, timed exams, marking
    "lms.scoring": 4,  # panel scoring: independent marks, spread flags, lock
    "courses": 5,
    "lms.training": 5,
    "lms.mentorship": 5,
    "lms.care": 5,
    "lms.innovation": 5,
    "lms.competitions": 5,
    "lms.selection": 5,
    "lms.publicity": 5,
    "lms.notifications": 6,
    "lms.certificates": 6,
    "overview": 7,
    "lms.overview": 7,
}
DOMAINS = 5  # the floor whose packages never import each other
SERVE_BY_SIGNALS = {"lms.notifications", "lms.certificates"}  # import no domain
EXEMPT = {"lms"}  # the app factory, lms/__init__.py


def package_of(module: str) -> str | None:
    """The longest entry of FLOORS that names ``module`` or a parent of it."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in FLOORS:
            return ".".join(parts[:n])
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str) -> list[tuple[int, str]]:
    """Every module named by an import statement anywhere in the file, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # ``from lms import training`` names the package lms.training, not lms
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                if package_of(candidate) != package_of(target):
                    found.append((node.lineno, candidate))
    return found


def violations() -> list[str]:
    found = []
    for path in sorted(
        [*ROOT.joinpath("lms").rglob("*.py"), *ROOT.joinpath("courses").rglob("*.py")]
    ):
        module = module_name(path)
        if module in EXEMPT:
            continue
        own = package_of(module)
        if own is None:
            found.append(f"{path.relative_to(ROOT)}: package {module} has no floor in FLOORS")
            continue
        for line, target in imports_of(path, module):
            other = package_of(target)
            if other is None or other == own:
                continue  # the standard library, a third-party package, or itself
            if FLOORS[other] > FLOORS[own]:
                kind = "upward"
            elif FLOORS[other] == FLOORS[own] == DOMAINS:
                kind = "sideways, between domains"
            elif own in SERVE_BY_SIGNALS and FLOORS[other] == DOMAINS:
                kind = "into a domain, which it should hear through a signal or registry"
            else:
                continue
            found.append(
                f"{path.relative_to(ROOT)}:{line}: {own} (floor {FLOORS[own]}) imports "
                f"{target} — {kind}: {other} (floor {FLOORS[other]})"
            )
    return found


def test_every_import_points_down_the_floors():
    found = violations()
    assert not found, f"{len(found)} imports break the floors (DESIGN.md):\n" + "\n".join(found)


def test_the_walk_sees_imports_inside_functions():
    # A walk that missed function-level imports would pass whatever the code does.
    source = ROOT / "lms" / "core" / "views.py"
    names = [name for _line, name in imports_of(source, "lms.core.views")]
    assert "swagger_ui_bundle" in names  # imported inside docs_assets()
    assert package_of("lms.training.services") == "lms.training"
    assert package_of("lms") is None
