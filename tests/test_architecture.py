"""The layers hold: no import circles (function-local imports count, so none can hide one) and
no import against the allowed directions.

Who may import whom (docs/architecture.md draws it): bot/ assembles everything (its app,
cli, demo and middlewares are imported by nobody outside bot/; its other modules are the
Telegram kit below handlers/, scheduler/ and notices/, and import none of them); only bot/ and handlers/ import handlers/, only bot/ and scheduler/ import
scheduler/; notices/ (what the bot tells other people) is used by handlers/, scheduler/ and
bot/, and imports neither handlers/ nor scheduler/; the domain (storage/, moderation/) imports neither the
layers above it nor aiogram, and moderation/ (pure text rules) not even storage/; the sandbox
stands alone (it imports none of the bot's packages; only bot/, for the demo, imports it)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "notices", "storage", "moderation", "scheduler", "sandbox")
DOMAIN = {"storage", "moderation"}
MAY_IMPORT = {
    "handlers": {"bot", "handlers"},
    "scheduler": {"bot", "scheduler"},
    "notices": {"bot", "handlers", "scheduler", "notices"},
}
ASSEMBLY = {
    "bot.app",
    "bot.cli",
    "bot.demo",
    "bot.middlewares",
    "bot.webhook",
    "bot.ops",
    "bot.metrics",  # scheduler/ reports to an observer instead (scheduler/outbox.py)
}
LAYERS_ABOVE_KIT = {"handlers", "scheduler", "notices"}  # the rest of bot/ is below them
TELEGRAM = ("aiogram",)


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            if "migrations" not in path.parts:
                name = ".".join(path.relative_to(root).with_suffix("").parts)
                found[name.removesuffix(".__init__")] = path
    return found


def imports_of(path: Path) -> set[str]:
    """Every module a file names in an import, at any depth of the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def problems(root: Path) -> list[str]:
    known = modules(root)
    graph: dict[str, set[str]] = {}
    found: list[str] = []
    for module, path in known.items():
        named = imports_of(path)
        top = module.split(".")[0]
        if top in DOMAIN:
            found += [
                f"forbidden: {module} -> {name}"
                for name in sorted(named)
                if name.split(".")[0] in TELEGRAM
            ]
        # A package's __init__ re-exporting its modules is not a dependency between them.
        inner = path.name == "__init__.py"
        graph[module] = (
            {name for name in named if name in known and name != module} if not inner else set()
        )
        for target in sorted(graph[module]):
            to = target.split(".")[0]
            if to == top:
                continue
            if (
                (to in MAY_IMPORT and top not in MAY_IMPORT[to])
                or (top in DOMAIN and to not in DOMAIN)
                or (top == "moderation" and to == "storage")
                or top == "sandbox"
                or (target in ASSEMBLY and top != "bot")
                or (top == "bot" and module not in ASSEMBLY and to in LAYERS_ABOVE_KIT)
                or (to == "sandbox" and top != "bot")
            ):
                found.append(f"forbidden: {module} -> {target}")
    found += [f"circle: {' -> '.join(circle)}" for circle in circles(graph)]
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_circles_and_no_forbidden_directions() -> None:
    assert problems(ROOT) == []


def test_the_check_sees_a_hidden_circle_and_a_wrong_direction(tmp_path: Path) -> None:
    """The check itself can fail: a circle hidden in a function and each kind of wrong import."""
    files = {
        "bot/__init__.py": "",
        "handlers/__init__.py": "from handlers import a\n",  # a package's re-export: fine
        "handlers/a.py": "from handlers.b import x\n",
        "handlers/b.py": "def f():\n    from handlers.a import y\n",  # the hidden way back
        "scheduler/__init__.py": "",
        "scheduler/jobs.py": "from handlers.a import announce\n",
        "notices/__init__.py": "",
        "notices/cards.py": "from handlers.b import f\nfrom bot.app import build\n",
        "bot/i18n.py": "from notices.cards import f\n",
        "storage/__init__.py": "",
        "storage/repo.py": "import aiogram\nfrom bot import app\n",
        "moderation/__init__.py": "",
        "moderation/rules.py": "from storage.repo import Repo\n",
        "sandbox/__init__.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "bot" / "app.py").write_text("", encoding="utf-8")
    assert sorted(problems(tmp_path)) == [
        "circle: handlers.a -> handlers.b",
        "forbidden: bot.i18n -> notices.cards",
        "forbidden: moderation.rules -> storage.repo",
        "forbidden: notices.cards -> bot.app",
        "forbidden: notices.cards -> handlers.b",
        "forbidden: scheduler.jobs -> handlers.a",
        "forbidden: storage.repo -> aiogram",
        "forbidden: storage.repo -> bot",
        "forbidden: storage.repo -> bot.app",
    ]
