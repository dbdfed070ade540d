#!/usr/bin/env python3
"""Set up and run NIR on a fresh machine that has git and Python 3.12 or newer.

    python3 dev.py demo     set up, load a synthetic register on SQLite, and serve it
    python3 dev.py test     set up and run the whole test suite (DATABASE_URL picks the database)
    python3 dev.py check    ruff, mypy, the import contracts and the migration check

It needs nothing installed beforehand: it finds a Python 3.12+ interpreter, installs uv
into a private tools folder if uv is missing, and lets uv build .venv from uv.lock. uv
never downloads a Python of its own here.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
UV_VERSION = "0.13.8"
TOOLS = ROOT / ".tools"
VENV_BIN = ROOT / ".venv" / "bin"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(command: list[str], env: dict[str, str] | None = None, check: bool = True) -> int:
    result = subprocess.run(command, cwd=ROOT, env=env)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def version_of(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.split()
        return int(out[0]), int(out[1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def find_python() -> str:
    """The first interpreter of version 3.12 or newer: this one, on PATH, or under pyenv."""
    if sys.version_info >= (3, 12):
        return sys.executable
    candidates = [shutil.which(f"python3.{minor}") for minor in range(20, 11, -1)]
    candidates += sorted(
        glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")), reverse=True
    )
    for candidate in filter(None, candidates):
        found = version_of(candidate)
        if found and found >= (3, 12):
            return candidate
    sys.exit("NIR needs Python 3.12 or newer; none was found on PATH or under ~/.pyenv.")


def find_uv(python: str) -> list[str]:
    if shutil.which("uv"):
        return ["uv"]
    if run([python, "-m", "uv", "--version"], check=False) == 0:
        return [python, "-m", "uv"]
    tool_uv = TOOLS / "bin" / "uv"
    if not tool_uv.exists():
        say(f"installing uv {UV_VERSION} into {TOOLS.name}/")
        run([python, "-m", "venv", str(TOOLS)])
        run([str(TOOLS / "bin" / "python"), "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}"])
    return [str(tool_uv)]


def setup() -> dict[str, str]:
    python = find_python()
    env = dict(
        os.environ,
        UV_PYTHON=python,
        UV_PYTHON_DOWNLOADS="never",
        UV_PROJECT_ENVIRONMENT=str(ROOT / ".venv"),
    )
    say(f"Python {'.'.join(map(str, version_of(python) or ()))} at {python}")
    run([*find_uv(python), "sync", "--frozen", "--quiet"], env=env)
    return env


def ensure_chromium() -> None:
    """Browser tests drive Debian's Chromium; Playwright cannot download a browser here."""
    if Path("/usr/bin/chromium").exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Debian's chromium for the browser tests")
        quiet = {"DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update", "-qq"], env=dict(os.environ, **quiet))
        run(["apt-get", "install", "-y", "-qq", "chromium"], env=dict(os.environ, **quiet))
    else:
        say(
            "chromium is missing: install Debian's 'chromium' package, or the browser "
            "tests will fail"
        )


def demo(args: list[str], env: dict[str, str]) -> None:
    env.setdefault("NIR_DEBUG", "true")
    env.setdefault("NIR_ALLOW_SYNTHETIC_IDS", "true")
    os.execve(str(VENV_BIN / "nir"), ["nir", "demo", *args], env)  # noqa: S606


def test(args: list[str], env: dict[str, str]) -> None:
    ensure_chromium()
    where = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    say(f"running the test suite on {where}")
    sys.exit(run([str(VENV_BIN / "pytest"), *args], env=env, check=False))


def check(env: dict[str, str]) -> None:
    env = dict(env, NIR_SECRET_KEY=env.get("NIR_SECRET_KEY", "check-only"))
    steps = [
        ("ruff", [str(VENV_BIN / "ruff"), "check", "."]),
        ("mypy", [str(VENV_BIN / "mypy")]),
        ("import contracts", [str(VENV_BIN / "lint-imports")]),
        # High-severity findings only fail the check; the rest is for review.
        ("bandit", [str(VENV_BIN / "bandit"), "-q", "-r", "src", "-lll"]),
        ("migrations", [str(VENV_BIN / "nir"), "makemigrations", "--check", "--dry-run"]),
    ]
    failed = []
    for name, command in steps:
        say(f"check: {name}")
        if run(command, env=env, check=False) != 0:
            failed.append(name)
    if failed:
        sys.exit(f"[dev] checks failed: {', '.join(failed)}")
    say("checks passed")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "check"}:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    env = setup()
    if command == "demo":
        demo(args, env)
    elif command == "test":
        test(args, env)
    else:
        check(env)


if __name__ == "__main__":
    main()
