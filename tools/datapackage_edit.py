#!/usr/bin/env python3
"""Add or replace one resource in datasets/datapackage.json, safely under a file lock.

Several contributors (or agents) may add datasets at once; this serialises the
edits so none is lost. Usage::

    python tools/datapackage_edit.py path/to/resource.json   # upsert by "name"
    python tools/datapackage_edit.py --remove NAME
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "datasets" / "datapackage.json"


def _write(package: dict) -> None:
    handle, tmp = tempfile.mkstemp(dir=PACKAGE.parent, prefix=".datapackage.", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(package, out, ensure_ascii=False, indent=2)
        out.write("\n")
    os.replace(tmp, PACKAGE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("resource", nargs="?", help="JSON file holding one resource descriptor")
    parser.add_argument("--remove", help="name of a resource to remove")
    args = parser.parse_args()
    with open(PACKAGE.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        package = json.loads(PACKAGE.read_text(encoding="utf-8"))
        resources = package.setdefault("resources", [])
        if args.remove:
            resources[:] = [r for r in resources if r["name"] != args.remove]
        else:
            new = json.loads(Path(args.resource).read_text(encoding="utf-8"))
            names = [r["name"] for r in resources]
            if new["name"] in names:
                resources[names.index(new["name"])] = new
            else:
                resources.append(new)
        _write(package)


if __name__ == "__main__":
    main()
