"""Start the class hub: ``python -m deploy.hub`` (one command for the trainer).

    python -m deploy.hub                         # http://127.0.0.1:8000, state in ./class-hub
    python -m deploy.hub --state /srv/class --port 8000 --admin trainer
    python -m deploy.hub --course https://github.com/social-selling-lab/social-selling-lab
    python -m deploy.hub --roster students.txt   # only these names (and the trainer) log in

On the first run it asks for the trainer's password (or reads ``COURSE_HUB_ADMIN_PASSWORD``)
and stores its bcrypt hash where the hub's FirstUseAuthenticator looks for it, so nobody else
can claim the trainer's name. Students choose their own password at their first login.
Stop the hub with Ctrl+C: every student server stops with it.
"""

from __future__ import annotations

import argparse
import dbm
import getpass
import os
import sys
from pathlib import Path

import bcrypt

from deploy.hub.settings import (
    MIN_PASSWORD_LENGTH,
    HubSettings,
    HubSettingsError,
    check_name,
    find_proxy,
)

CONFIG = Path(__file__).with_name("jupyterhub_config.py")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m deploy.hub",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--state", default="class-hub",
                        help="folder for the hub's database, passwords and students' homes")
    parser.add_argument("--port", type=int, default=8000, help="public port on 127.0.0.1")
    parser.add_argument("--hub-port", type=int, default=8081, help="the hub's internal port")
    parser.add_argument("--proxy-api-port", type=int, default=8001,
                        help="configurable-http-proxy's API port")
    parser.add_argument("--course", default=None,
                        help="git URL (nbgitpuller) or local folder (copied) of the course; "
                             "default: this checkout")
    parser.add_argument("--branch", default="main", help="branch nbgitpuller pulls")
    parser.add_argument("--admin", default="trainer", help="the trainer's (admin) user name")
    parser.add_argument("--roster", default=None, help="file with allowed user names")
    parser.add_argument("--idle-timeout", type=int, default=3600,
                        help="stop servers idle this many seconds (0: never)")
    return parser.parse_args(argv)


def hub_environment(args: argparse.Namespace) -> dict[str, str]:
    """The ``COURSE_HUB_*`` variables ``jupyterhub_config.py`` reads, from the arguments."""
    env = dict(os.environ)
    env.update({
        "COURSE_HUB_STATE": str(Path(args.state).resolve()),
        "COURSE_HUB_PORT": str(args.port),
        "COURSE_HUB_HUB_PORT": str(args.hub_port),
        "COURSE_HUB_PROXY_API_PORT": str(args.proxy_api_port),
        "COURSE_HUB_BRANCH": args.branch,
        "COURSE_HUB_ADMIN": args.admin,
        "COURSE_HUB_IDLE_TIMEOUT": str(args.idle_timeout),
    })
    if args.course:
        env["COURSE_HUB_COURSE"] = args.course
    if args.roster:
        env["COURSE_HUB_ROSTER"] = str(Path(args.roster).resolve())
    return env


def ensure_admin_password(passwords: Path, admin: str, password: str | None) -> bool:
    """Store the trainer's password hash unless one exists; True if it was set now.

    ``password`` None means: ask on the terminal (twice). The format is
    FirstUseAuthenticator's: a dbm file mapping the user name to a bcrypt hash.
    """
    passwords.parent.mkdir(parents=True, exist_ok=True)
    with dbm.open(str(passwords), "c", 0o600) as db:
        if admin.encode() in db:
            return False
        if password is None:
            if not sys.stdin.isatty():
                raise HubSettingsError(
                    f"first run: set the trainer's password for {admin!r} in "
                    "COURSE_HUB_ADMIN_PASSWORD (no terminal to ask on)")
            password = getpass.getpass(f"Choose a password for the trainer account {admin!r}: ")
            if getpass.getpass("Type it again: ") != password:
                raise HubSettingsError("the two passwords differ")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise HubSettingsError(f"the trainer's password needs at least "
                                   f"{MIN_PASSWORD_LENGTH} characters")
        db[admin] = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt())
    return True


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = hub_environment(args)
    try:
        check_name(args.admin, "--admin")
        settings = HubSettings.from_env(env)
        find_proxy(settings)
        created = ensure_admin_password(settings.passwords, settings.admin,
                                        env.get("COURSE_HUB_ADMIN_PASSWORD"))
    except HubSettingsError as error:
        print(f"deploy.hub: {error}", file=sys.stderr)
        return 2
    if created:
        print(f"Trainer account {settings.admin!r} created.")
    print(f"Class hub: http://127.0.0.1:{settings.port}/  (state in {settings.state}; "
          "Ctrl+C stops the hub and every student server)", flush=True)
    env.pop("COURSE_HUB_ADMIN_PASSWORD", None)  # the hub and the students never see it
    os.chdir(settings.state)
    os.execve(sys.executable, [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
