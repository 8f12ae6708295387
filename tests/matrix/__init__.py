"""The permission matrix's vocabulary, and the pieces of its table that packages keep.

``tests/test_permission_matrix.py`` asks every route of the app as six callers and compares
each answer with ONE table. The core packages' entries are in that file; each newer domain keeps
its own entries in a module here (``tests/matrix/<package>.py``), so that packages growing side
by side do not all edit one file. A piece defines:

- ``ENTRIES``: ``"<endpoint> <METHOD>" → may(...)``, as in the main table;
- ``DEFAULT_IDS`` (optional): URL parameter → seed name, for parameters only its routes use;
- ``seed(person, machine) -> dict``: the objects its URLs name, made on top of the demo data
  (``person``: users by employee number; ``machine``: the first enterprise).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from types import ModuleType

CALLERS = {
    "anonymous": None,
    "worker": "W0001",
    "mentor": "M0001",
    "officer": "T0001",
    "admin": "A0001",
    "other_officer": "T0002",
}

# Who may call, as sets of callers.
EVERYONE = frozenset(CALLERS)
SIGNED_IN = EVERYONE - {"anonymous"}
OFFICERS = frozenset({"officer", "admin", "other_officer"})  # any officer, no object in the URL
IN_SCOPE = frozenset({"officer", "admin"})  # officers over the first enterprise's objects
ADMIN = frozenset({"admin"})
NOBODY = frozenset()


WORKER = frozenset({"worker"})  # W0001 herself: her records, her notifications, her tokens
MENTOR = frozenset({"mentor"})  # M0001: W0001's master, instructor of the demo class
LEARNERS = frozenset({"worker", "mentor", "officer", "admin"})  # everyone signed in, in scope
PAIR = frozenset({"worker", "mentor", "officer", "admin"})  # the pairing's two and its officers


class Ref(str):
    """In a ``json`` body, the id of an object of the seed: ``Ref("worker")``."""


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    ids: dict[str, object] = field(default_factory=dict)
    query: dict[str, object] = field(default_factory=dict)
    form: dict[str, object] | None = None
    json: dict[str, object] | None = None
    why: str = ""


def may(*groups, ids=None, query=None, form=None, json=None, why: str = "") -> Rule:
    """``may(IN_SCOPE, WORKER)``: the callers allowed, the union of the groups given.

    ``ids`` sets URL parameters other than ``DEFAULT_IDS``; ``query``, ``form`` and ``json`` add
    a query string and a body (in ids, query and form a value that names an object of the seed
    stands for its id; in json, ``Ref(name)`` does). A write sent with no body
    may be answered 422 by a refused caller: the input is read before the rights (the API's
    schemas do). Give the entry a body to hold its refusals to 403/404."""
    allowed = frozenset().union(*[{g} if isinstance(g, str) else g for g in groups])
    unknown = allowed - EVERYONE
    assert not unknown, f"unknown callers {sorted(unknown)}"
    return Rule(allowed, ids or {}, query or {}, form, json, why)


def pieces() -> list[ModuleType]:
    """Every module of this package, each with ``ENTRIES``, ``DEFAULT_IDS`` and ``seed``."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.DEFAULT_IDS = getattr(module, "DEFAULT_IDS", {})
        if not hasattr(module, "seed"):
            module.seed = lambda person, machine: {}
        found.append(module)
    return found
