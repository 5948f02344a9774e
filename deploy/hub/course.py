"""Each student's own copy of the course.

Two ways, chosen by the hub's ``course`` setting:

- **a git URL** (online): every student's server opens an nbgitpuller link first, which
  clones the course repository into ``~/social-selling-lab`` on the first visit and merges
  updates later without overwriting the student's changes;
- **a local folder** (offline): before a student's server starts, the course folders are
  copied from that folder into the student's home. Files the student already has are never
  replaced, so their edits and their saved work (``my_*.csv``) survive every restart.
"""

from __future__ import annotations

import shutil
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import urlencode

COURSE_FOLDER = "social-selling-lab"
COPIED_FOLDERS = ("chapters", "dashboards", "datasets", "docs", "widgets")
FIRST_CHAPTER = "chapters/00_start_here.ipynb"
SKIPPED = ("__pycache__", ".ipynb_checkpoints", "my_*", "*.bak", "*.corrupt-*", ".*")


def is_git_url(course: str) -> bool:
    """True when ``course`` names a remote repository rather than a local folder."""
    return course.startswith(("https://", "http://", "git@", "ssh://"))


def copy_course(source: Path, home: Path) -> list[Path]:
    """Copy the course folders of ``source`` into ``home/social-selling-lab``; return new files.

    Existing files are left alone (the student's edits win); students' own files
    (``my_*``, backups) in ``source`` are never copied.
    """
    target = home / COURSE_FOLDER
    added: list[Path] = []
    for folder in COPIED_FOLDERS:
        origin = source / folder
        if not origin.is_dir():
            raise FileNotFoundError(f"the course folder {origin} is missing (course={source})")
        for path in sorted(origin.rglob("*")):
            relative = path.relative_to(source)
            if any(fnmatch(part, pattern) for part in relative.parts for pattern in SKIPPED):
                continue
            destination = target / relative
            if path.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
            elif not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                added.append(destination)
    return added


def git_pull_path(repo: str, branch: str = "main", open_path: str = FIRST_CHAPTER) -> str:
    """The nbgitpuller path (relative to a user server) that clones ``repo`` and opens a file.

    nbgitpuller's documented link format: ``git-pull?repo=…&branch=…&urlpath=…``; the clone
    lands in ``~/<repository name>`` (here :data:`COURSE_FOLDER`).
    """
    query = urlencode({"repo": repo, "branch": branch,
                       "urlpath": f"lab/tree/{COURSE_FOLDER}/{open_path}"})
    return f"/git-pull?{query}"
