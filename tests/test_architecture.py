"""The layout's rules, checked on the source (docs/ARCHITECTURE.md says why):

- no import cycle between modules (a package's ``__init__`` importing its own modules to
  register them is not one: the package exists to hold them);
- no upward import: core ← models ← domain ← web ← app; a model never imports a form or
  a blueprint, the domain never imports the web layer, nothing imports the factory;
- every listener and periodic job registered in ct/events.py, nowhere else;
- one time zone helper (ct/core/zone.py): no pytz, no Flask-Babel zone functions;
- one way to read a record id in a form: the id fields of ct/web/fields.py;
- a handful of modules directly in ct/, and modules of a readable size.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CT = ROOT / "ct"

# Lower layers first; a module may import from its own layer and the ones below.
LAYERS = {
    "core": ("ct.core", "ct.extensions", "ct.config"),
    "models": ("ct.models",),
    "domain": ("ct.auth", "ct.exchanges", "ct.emails", "ct.records", "ct.home", "ct.demo",
               "ct.webhooks", "ct.capture", "ct.attachments"),
    "web": ("ct.web", "ct.blueprints"),
    "app": ("ct.events", "ct.cli", "ct"),
}
RANK = {layer: rank for rank, layer in enumerate(LAYERS)}
MODULES_IN_CT_MAX = 12
LINES_MAX = 300
# Where a listener may be attached: the registry, and the engine's own setup (SQLite's
# foreign keys, per engine) and the benchmark-only statement counter.
LISTENERS_ALLOWED = {"ct.events", "ct.core.db_setup", "ct.blueprints.bench_reference"}
TIME_ZONE_NAMES = {"pytz", "get_timezone", "to_user_timezone", "to_utc"}
ID_FIELDS = {"IdField", "IdListField", "IdSelectField", "IdMultipleField", "TiersField"}
RECORD_FIELD_NAMES = {"tiers", "contact", "contacts", "project", "assignee", "assignees",
                      "member", "members", "mode", "object", "use", "rep"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in CT.rglob("*.py") if "translations" not in p.parts}


@cache
def tree(name: str) -> ast.Module:
    return ast.parse(modules()[name].read_text(), filename=str(modules()[name]))


def imported(name: str) -> set[str]:
    """The ct modules ``name`` imports, at any depth of its code (an import inside a
    function is still a dependency)."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                whole = f"{base}.{alias.name}"
                found.add(whole if whole in modules() else base)
    result = set()
    for target in found:
        while target and target not in modules():
            target = target.rpartition(".")[0]
        own_part = path.name == "__init__.py" and target.startswith(name + ".")
        if target and target != name and not own_part:
            result.add(target)
    return result


def layer(name: str) -> str:
    best = None
    for layer_name, prefixes in LAYERS.items():
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and prefix != "ct":
                if best is None or len(prefix) > len(best[1]):
                    best = (layer_name, prefix)
    return best[0] if best else "app"  # the factory itself


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle():
    graph = {name: imported(name) for name in modules()}
    assert cycles(graph) == []


def test_the_cycle_finder_finds_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_upward_import():
    upward = [f"{name} ({layer(name)}) imports {target} ({layer(target)})"
              for name in sorted(modules()) for target in sorted(imported(name))
              if RANK[layer(target)] > RANK[layer(name)]]
    assert upward == []


def test_models_never_import_forms_or_blueprints():
    offenders = [f"{name} imports {target}" for name in modules() if name.startswith("ct.models")
                 for target in imported(name)
                 if target.startswith(("ct.blueprints", "ct.web")) or "forms" in target]
    assert offenders == []


def test_the_layers_are_known():
    assert layer("ct.models.user") == "models" and layer("ct.web.forms") == "web"
    assert layer("ct") == "app" and layer("ct.core.zone") == "core"
    assert RANK[layer("ct.blueprints.tiers.routes")] > RANK[layer("ct.exchanges.query")]


def _listener_sites(name: str) -> list[str]:
    sites = []
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Attribute) and node.attr in ("listens_for", "listen"):
            if isinstance(node.value, ast.Name) and node.value.id == "event":
                sites.append(f"{name}:{node.lineno}")
    return sites


def test_listeners_are_attached_in_ct_events_only():
    stray = [site for name in modules() if name not in LISTENERS_ALLOWED
             for site in _listener_sites(name)]
    assert stray == []
    assert _listener_sites("ct.events")


def test_the_registered_listeners_are_the_listed_ones(app):
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from ct.events import MODEL_LISTENERS, SESSION_LISTENERS

    for name, listener in SESSION_LISTENERS:
        assert event.contains(Session, name, listener), (name, listener.__qualname__)
    for model, name, listener in MODEL_LISTENERS:
        assert event.contains(model, name, listener), (model, name)


def test_one_time_zone_helper():
    used = [f"{name}: {word}" for name in modules() for node in ast.walk(tree(name))
            if isinstance(node, ast.ImportFrom | ast.Import)
            for word in [alias.name for alias in node.names] + [getattr(node, "module", "")]
            if word and (word in TIME_ZONE_NAMES or word.split(".")[0] == "pytz")
            and (isinstance(node, ast.Import) or node.module in ("flask_babel", "pytz"))]
    assert used == []


def _field_assignments(name: str):
    for node in ast.walk(tree(name)):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call) \
                    and isinstance(statement.targets[0], ast.Name):
                function = statement.value.func
                kind = getattr(function, "id", None) or getattr(function, "attr", "")
                yield node.name, statement.targets[0].id, kind


def test_record_ids_are_read_by_the_id_fields():
    other = [f"{name}: {form}.{field} = {kind}(…)" for name in modules()
             for form, field, kind in _field_assignments(name)
             if kind.endswith("Field") and kind not in ID_FIELDS
             and (field.endswith(("_id", "_ids")) or field in RECORD_FIELD_NAMES)]
    assert other == []


def test_a_handful_of_modules_directly_in_ct():
    direct = sorted(p.name for p in CT.glob("*.py"))
    assert len(direct) <= MODULES_IN_CT_MAX, direct


def test_modules_stay_readable():
    long = [f"{name}: {n}" for name, path in modules().items()
            if (n := len(path.read_text().splitlines())) > LINES_MAX]
    assert long == []


def test_the_code_writes_nowhere_outside_the_project():
    """Screenshots and files for a person to look at go under the project (tests/e2e/
    artifacts, instance/), never to a folder of one machine that a clone has not."""
    found = [f"{path.relative_to(ROOT)}:{number}"
             for folder in ("ct", "tests", "bench") for path in (ROOT / folder).rglob("*.py")
             if path != Path(__file__).resolve()  # this test names what it looks for
             for number, line in enumerate(path.read_text().splitlines(), start=1)
             if '"/tmp/' in line or "'/tmp/" in line]
    assert found == []
