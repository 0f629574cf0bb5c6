"""The app order of docs/architecture.md ("App order"), checked on the code: no module
of an app imports an app further up the order, also inside functions and through
`importlib`/`import_string` with a literal name. Tests may import what they check."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. Within one step, apps may import one another (the tenant's content model
# is one piece: people's scopes are pages, a branch's bulletins are messages, and the
# base's actions feed the search outbox).
ORDER = (
    ("union", "people", "access", "audit", "accounts", "pages", "branches", "workplaces",
     "agreements", "messaging", "activity", "navigation", "search", "themes"),
    ("stepup",),
    ("terms",),
    ("adminpanel",),
    ("identity",),
    ("register",),
    ("api", "imports", "dataquality", "home", "membercard", "passkeys", "privacy", "dpo"),
    ("customfields",),
    ("lifeevents",),
    ("groups",),
    ("officials",),
    ("merging",),
    ("contacts",),
    ("notifications",),
    ("discussions",),
    ("mapping",),
    ("campaigns",),
    ("erasure",),
)
RANK = {app: rank for rank, apps in enumerate(ORDER) for app in apps}
# Known exceptions, each with its reason.
ALLOWED = {
    # Sending a bulletin to a whole branch asks for a fresh second step.
    ("branches", "stepup"),
}
# Modules below every app: they import no app (each app declares its personal data
# into the privacy registry).
UNDER_ALL = ("portal.privacy.registry", "portal.spreadsheets")
# The demo's seeding fills every app; it is a command, not a layer.
SEEDING = {"portal/union/demo.py", "portal/union/demo_accounts.py", "portal/union/demo_texts.py"}


def _app_of(path: Path) -> str | None:
    parts = path.relative_to(ROOT).parts
    if parts[0] in ("search", "themes"):
        return parts[0]
    if parts[0] == "portal" and len(parts) > 1:
        return parts[1].removesuffix(".py")
    return None


def _targets(tree: ast.AST, source: str):
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module]
            if node.module == "portal":
                names = [f"portal.{alias.name}" for alias in node.names]
        for name in names:
            yield name, node.lineno
    for match in re.finditer(r"""["']((?:portal\.)?\w+)\.[\w.]*["']""", source):
        if "import_module" in source or "import_string" in source:
            yield match.group(1), source.count("\n", 0, match.start()) + 1


def _app_of_module(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] == "portal" and len(parts) > 1:
        return parts[1]
    return parts[0] if parts[0] in ("search", "themes") else None


def test_no_app_imports_an_app_above_it():
    wrong = []
    for path in [*ROOT.joinpath("portal").rglob("*.py"), *ROOT.joinpath("search").rglob("*.py"),
                 *ROOT.joinpath("themes").rglob("*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative in SEEDING:
            continue
        app = _app_of(path)
        if app not in RANK:
            continue
        source = path.read_text()
        for name, line in _targets(ast.parse(source), source):
            if name.startswith(UNDER_ALL):
                continue
            target = _app_of_module(name)
            if (target in RANK and target != app and RANK[target] > RANK[app]
                    and (app, target) not in ALLOWED):
                wrong.append(f"{relative}:{line} imports {target}")
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_every_app_has_a_place_in_the_order():
    not_apps = ("settings", "testdb", "formats")
    apps = {p.name for p in ROOT.joinpath("portal").iterdir()
            if p.is_dir() and (p / "__init__.py").exists() and p.name not in not_apps}
    assert apps <= set(RANK), sorted(apps - set(RANK))
