#!/usr/bin/env python3
"""One entry point for a fresh machine with nothing but Python 3.11+.

    python3 dev.py serve   # install, migrate, load the library, serve http://127.0.0.1:8000/
    python3 dev.py test    # install, run the whole test suite (extra args go to pytest)
    python3 dev.py install maps   # also install an optional group (development tools)

Dependencies are read from pyproject.toml and installed into ./.venv; a stamp file
holding the hash of pyproject.toml skips the install when nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

if sys.version_info < (3, 11):  # noqa: UP036 - this script is what tells an older Python why it stops
    sys.exit("需要 Python 3.11 或更高版本 (Python 3.11+ is required).")

import tomllib  # noqa: E402
import venv  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("PORTAL_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | Path, env: dict | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(result.returncode)


def requirements(extras: tuple[str, ...]) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in extras:
        reqs += project.get("optional-dependencies", {}).get(extra, [])
    return reqs


def ensure_venv(extras: tuple[str, ...]) -> None:
    if not PYTHON.exists():
        print(f"Creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    reqs = requirements(extras)
    digest = hashlib.sha256("\n".join(reqs).encode()).hexdigest()
    stamp = VENV / f".installed-{'-'.join(extras) or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", *reqs)
    stamp.write_text(digest)


def serve(argv: list[str]) -> None:
    ensure_venv(())
    # The quick start is a development server: debug on unless the caller decided otherwise.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    run(PYTHON, "manage.py", "migrate", "--noinput")
    run(PYTHON, "manage.py", "load_library")
    addr = argv[0] if argv else "127.0.0.1:8000"
    os.execv(PYTHON, [str(PYTHON), "manage.py", "runserver", addr])


def test(argv: list[str]) -> None:
    ensure_venv(("test",))
    os.chdir(ROOT)
    os.execv(PYTHON, [str(PYTHON), "-m", "pytest", *argv])


def install(argv: list[str]) -> None:
    """Install the base dependencies plus the named extras (e.g. ``maps`` for build_prefecture_map)."""
    ensure_venv(tuple(argv))


def main() -> None:
    commands = {"serve": serve, "test": test, "install": install}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
