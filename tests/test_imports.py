"""The import rules of docs/ARCHITECTURE.md, read from the source (every import, lazy ones too)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = [
    "accounts",
    "api",
    "core",
    "dashboard",
    "demo",
    "discussion",
    "imports",
    "innovation",
    "monitoring",
    "notifications",
    "regions",
    "reporting",
    "search",
    "specialists",
    "workspace",
]


def _modules() -> dict[str, Path]:
    modules = {}
    for app in [*APPS, "config"]:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """The project modules `path` imports: the deepest module each import statement names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


IMPORTS = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _app(module: str) -> str:
    return module.split(".")[0]


def test_no_module_outside_the_demo_imports_the_demo():
    offenders = [
        f"{module} -> {target}"
        for module, targets in IMPORTS.items()
        for target in targets
        if _app(target) == "demo" and _app(module) != "demo"
    ]
    assert offenders == []


def test_innovation_specialists_and_reporting_use_only_the_models_of_monitoring():
    offenders = [
        f"{module} -> {target}"
        for module, targets in IMPORTS.items()
        if _app(module) in {"innovation", "specialists", "reporting"}
        for target in targets
        if _app(target) == "monitoring" and not target.startswith("monitoring.models")
    ]
    assert offenders == []


def test_the_kernel_imports_no_app_above_accounts():
    offenders = [
        f"{module} -> {target}"
        for module, targets in IMPORTS.items()
        if _app(module) == "core"
        for target in targets
        if _app(target) not in {"core", "accounts", "config"}
    ]
    assert offenders == []


def test_the_apps_below_the_dashboard_never_import_it():
    """The national pages (dashboard, results, the national picture) are the dashboard's; the
    apps they read from know nothing of them."""
    offenders = [
        f"{module} -> {target}"
        for module, targets in IMPORTS.items()
        if _app(module)
        in {
            "core",
            "accounts",
            "regions",
            "monitoring",
            "specialists",
            "innovation",
            "notifications",
        }
        for target in targets
        if _app(target) == "dashboard"
    ]
    assert offenders == []


def test_no_import_circle_between_modules_of_one_app():
    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            module = todo.pop()
            for target in IMPORTS.get(module, ()):
                if target == goal:
                    return True
                if _app(target) == _app(goal) and target not in seen:
                    seen.add(target)
                    todo.append(target)
        return False

    circles = sorted(
        f"{module} <-> {target}"
        for module, targets in IMPORTS.items()
        for target in targets
        if _app(target) == _app(module)
        and not module.startswith(target + ".")  # a package's __init__ re-exporting its modules
        and not target.startswith(module + ".")
        and reaches(target, module)
    )
    assert circles == []


def test_the_region_pages_sit_above_the_apps_they_draw_on():
    """`workspace` serves the region pages from every domain app; no module imports it (the
    URLconf includes it by name), and `regions`, below monitoring and specialists, uses
    nothing of theirs but their models."""
    importers = sorted(
        module
        for module, targets in IMPORTS.items()
        if _app(module) != "workspace" and any(_app(t) == "workspace" for t in targets)
    )
    assert importers == []
    offenders = [
        f"{module} -> {target}"
        for module, targets in IMPORTS.items()
        if _app(module) == "regions"
        for target in targets
        if _app(target) in {"monitoring", "specialists", "reporting", "innovation", "dashboard"}
        and not target.startswith((f"{_app(target)}.models",))
    ]
    assert offenders == []


def test_nothing_imports_the_api():
    """`api` sits at the top beside `workspace`: it reads every domain app through their access
    helpers and query functions, and no app imports it (the URLconf includes it by name)."""
    importers = sorted(
        module
        for module, targets in IMPORTS.items()
        if _app(module) != "api" and any(_app(t) == "api" for t in targets)
    )
    assert importers == []


def test_nothing_but_the_api_imports_the_search():
    """`search` sits at the top beside `workspace`: each kind of hit asks the access helper of
    its own app, and no app imports it (the URLconf and the settings name it) but the `api`,
    above it, which serves the same search as it serves every app's queries."""
    importers = sorted(
        module
        for module, targets in IMPORTS.items()
        if _app(module) not in {"search", "api"} and any(_app(t) == "search" for t in targets)
    )
    assert importers == []
    assert any(_app(t) == "search" for t in IMPORTS["api.views_work"])


def test_the_discussions_sit_below_reporting_and_above_the_domain_apps():
    """`discussion` reads the domain apps' records through their access helpers; reporting,
    above it, registers its reports as a kind of record discussed and puts the discussions in
    the dossier export. Nothing below the discussions imports them."""
    offenders = sorted(
        f"{module} -> {target}"
        for module, targets in IMPORTS.items()
        for target in targets
        if (_app(module) == "discussion" and _app(target) in {"reporting", "workspace", "api"})
        or (
            _app(target) == "discussion"
            and _app(module)
            in {"core", "accounts", "regions", "monitoring", "specialists", "innovation"}
        )
    )
    assert offenders == []
