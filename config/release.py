"""Which release of the code is running, for keeping cache entries apart between releases.

Cached entries hold pickled objects of the project's own classes and rendered fragments of its
templates. During a deploy, old and new processes share one Redis: without a release in the keys, new
code could unpickle an object an old class wrote (or show an old fragment) and fail or mislead. The
cache's KEY_PREFIX (config/settings.py) carries `code_version()`, so each release reads only what it
wrote itself; what the other wrote expires on its own timeout.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# The project's own code and templates: what a cached entry's shape can depend on. Not tests, bench
# or scripts, nor anything installed (a dependency's upgrade comes with a change to requirements.txt).
SOURCES = ("api", "config", "core", "delivery", "kpis", "meetings", "notifications", "panel", "rounds", "templates")
EXTRA = ("requirements.txt",)


def code_version(root: Path, length: int = 12) -> str:
    """A short hash of every .py and .html file under SOURCES and of EXTRA (paths and contents, in a
    fixed order): the same on every machine for the same code, different for any change. Some 10 ms."""
    digest = hashlib.blake2b(digest_size=16)
    files = sorted(
        path
        for top in SOURCES
        for pattern in ("*.py", "*.html")
        for path in (root / top).rglob(pattern)
        if "__pycache__" not in path.parts
    )
    files += [root / name for name in EXTRA if (root / name).exists()]
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:length]
