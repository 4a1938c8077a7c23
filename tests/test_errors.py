"""One error path: every expected failure of the core says, in Vietnamese, what happened."""

from __future__ import annotations

import ast
import importlib
import string
from pathlib import Path

from resources import i18n
from resources.problems import Problem, describe
from tests.conftest import ROOT

CORE = ("db", "capture", "printing", "resources")


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def _import_core() -> None:
    for pkg in CORE:
        for p in (ROOT / pkg).rglob("*.py"):
            if "migrations" in p.parts or p.name == "__main__.py":
                continue
            importlib.import_module(".".join(p.relative_to(ROOT).with_suffix("").parts))


def test_every_core_exception_speaks_vietnamese_and_english() -> None:
    _import_core()
    classes = {c for c in _all_subclasses(Problem) if c.__module__.split(".")[0] in CORE}
    assert len(classes) >= 20
    try:
        for cls in sorted(classes, key=lambda c: c.__qualname__):
            fields = {f: 3 for _l, f, _s, _c in string.Formatter().parse(cls.message) if f}
            exc = cls(**fields)
            i18n.set_language("en")
            english = describe(exc)
            i18n.set_language("vi")
            vietnamese = describe(exc)
            assert english == str(exc), cls
            assert vietnamese and vietnamese != english, cls.__qualname__
    finally:
        i18n.set_language("vi")


def test_raise_sites_give_message_ids_never_f_strings() -> None:
    """A raise of our own error passes an N_() literal (or nothing): the catalogue can match it."""
    _import_core()
    ours = {c.__name__ for c in _all_subclasses(Problem)}
    bad: list[str] = []
    for pkg in CORE:
        for p in Path(ROOT, pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(p.read_text("utf-8"))):
                if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                    continue
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name not in ours or not node.exc.args:
                    continue
                first = node.exc.args[0]
                marked = (isinstance(first, ast.Call) and isinstance(first.func, ast.Name)
                          and first.func.id == "N_")  # fmt: skip
                if isinstance(first, ast.JoinedStr | ast.Constant) or not (
                    marked or isinstance(first, ast.Name | ast.Attribute | ast.Call | ast.Subscript)
                ):
                    bad.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert bad == []


def test_nothing_outside_the_command_line_imports_it() -> None:
    users = []
    for pkg in ("db", "gui", "capture", "printing", "resources"):
        for p in Path(ROOT, pkg).rglob("*.py"):
            if p.is_relative_to(ROOT / "db" / "cli"):
                continue
            for node in ast.walk(ast.parse(p.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("db.cli"):
                    users.append(str(p.relative_to(ROOT)))
                if isinstance(node, ast.ImportFrom) and node.module == "db" and any(
                    a.name == "cli" for a in node.names
                ):
                    users.append(str(p.relative_to(ROOT)))
    assert users == []
