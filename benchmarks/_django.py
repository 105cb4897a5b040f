"""The Django start-up every benchmark script shares: the project root on ``sys.path``, the
settings module, environment defaults, ``django.setup()``.

    import _django  # noqa: E402 - a script in benchmarks/: Python put this folder on sys.path

    _django.setup(DJANGO_DEBUG="1")

``setup(**defaults)``: each default is set only when the environment does not name it (what the
caller exports wins), then Django starts. ``ROOT``: the project root. Importing this module puts
the root first on ``sys.path`` and sets the settings module (DJANGO_SETTINGS_MODULE, unless set),
so a script may import the project's modules before ``setup()`` (the judging scripts start Django
only in ``main()``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def setup(**defaults: str) -> None:
    """Environment defaults (``os.environ.setdefault``), then ``django.setup()``."""
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
