"""The layers stay honest: arrows point one way, and the action server loads only what it needs.

- reconnect.guidance: the standard library and itself only (no Rasa, no SQL, no settings);
- reconnect.records: never Rasa, the actions, the channels or the NLU components;
- reconnect.settings: never Rasa, SQL, the records or the actions;
- reconnect.nlu and reconnect.channels: never the actions or the records' internals;
- reconnect.lock_store (a Rasa server plug-in): never the actions, the records or SQL;
- nothing in reconnect imports actions;
- an action module never imports another action module (actions.base and actions.access are
  the shared ground), nor the importer, the demo clinic, the CLI or the NLU components.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_ACTION_MODULES = {"actions", "actions.base", "actions.access", "actions.pending"}


def _modules(package: str) -> Iterator[Tuple[str, Path]]:
    base = ROOT / package.replace(".", "/")
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts and "versions" in parts:
            continue  # Alembic revisions: records' own
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def imports_of(path: Path) -> Set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _hits(imported: Set[str], banned: Tuple[str, ...]) -> Set[str]:
    return {m for m in imported for b in banned if m == b or m.startswith(b + ".")}


def _all_imports(package: str) -> Dict[str, Set[str]]:
    return {name: imports_of(path) for name, path in _modules(package)}


def test_guidance_uses_only_the_standard_library_and_itself():
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    for module, imported in _all_imports("reconnect.guidance").items():
        outside = {m for m in imported
                   if m.split(".")[0] not in stdlib and not m.startswith("reconnect.guidance")}
        assert outside == set(), module


@pytest.mark.parametrize("package, banned", [
    ("reconnect.records", ("rasa", "rasa_sdk", "actions", "reconnect.nlu", "reconnect.channels",
                           "reconnect.cli")),
    ("reconnect.settings", ("rasa", "rasa_sdk", "sqlalchemy", "actions", "reconnect.records")),
    ("reconnect.nlu", ("actions", "reconnect.records", "sqlalchemy")),
    ("reconnect.channels", ("actions",)),
    ("reconnect.lock_store", ("actions", "reconnect.records", "sqlalchemy")),
    ("reconnect", ("actions",)),
])
def test_layers_do_not_reach_up(package, banned):
    for module, imported in _all_imports(package).items():
        assert _hits(imported, banned) == set(), module


def test_an_action_never_imports_another_action():
    for module, imported in _all_imports("actions").items():
        if module in SHARED_ACTION_MODULES:
            continue
        others = {m for m in _hits(imported, ("actions",))
                  if not any(m == s or m.startswith(s + ".") for s in SHARED_ACTION_MODULES - {"actions"})}
        assert others == set(), module
        banned = ("reconnect.cli", "reconnect.records.importer", "reconnect.records.demo",
                  "reconnect.nlu", "reconnect.channels")
        assert _hits(imported, banned) == set(), module


def test_the_checker_sees_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from rasa_sdk import Action\n    import sqlalchemy.orm\n")
    assert _hits(imports_of(bad), ("rasa_sdk", "sqlalchemy")) == {
        "rasa_sdk", "rasa_sdk.Action", "sqlalchemy.orm"}


def test_the_action_server_loads_no_importer_demo_or_cli():
    # As `rasa run actions --actions actions` does: register the package, then look.
    code = (
        "import sys\n"
        "from rasa_sdk.executor import ActionExecutor\n"
        "executor = ActionExecutor()\n"
        "executor.register_package('actions')\n"
        "assert 'action_summarize_attendance' in executor.actions, sorted(executor.actions)\n"
        "loaded = [m for m in ('reconnect.records.importer', 'reconnect.records.demo',\n"
        "          'reconnect.cli', 'reconnect.nlu', 'alembic', 'tensorflow') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""
