"""Commands for accounts and access: ``users add / remove / passwd / list``, ``grant``, ``revoke`` and ``members``.

A thin shell over ``assistant.Team``, run by the operator of the deployment (who holds its data folder, or reaches
its Chroma server), so these commands act as the local operator. Passwords are asked twice without echo, or read
from standard input with ``--password-stdin`` (one line) for scripts; never from an option, which would sit in the
shell history and the process list.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from assistant import ROLES, Team

from .cli import DataDirOpt, app, console, err, handled, settings_for

users_app = typer.Typer(help="User accounts of the web app (salted scrypt hashes; an admin sees every workspace).", no_args_is_help=True)
app.add_typer(users_app, name="users")
PasswordStdinOpt = typer.Option(False, "--password-stdin", help="read the password from standard input (one line)")


def _team(data_dir: Optional[Path]) -> Team:
    return Team(settings_for(None, data_dir))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
@handled
def users_add(name: str = typer.Argument(..., help="user name (letters, digits, _ . @ -)"),
              admin: bool = typer.Option(False, "--admin", help="an admin sees and manages every workspace and account"),
              password_stdin: bool = PasswordStdinOpt, data_dir: Optional[Path] = DataDirOpt) -> None:
    """Add a user (asks for the password twice)."""
    account = _team(data_dir).add_user(name, _password(password_stdin), admin=admin)
    err.print(f"added {account.name}{' (admin)' if account.admin else ''}")


@users_app.command("remove")
@handled
def users_remove(name: str = typer.Argument(...), data_dir: Optional[Path] = DataDirOpt) -> None:
    """Remove a user and every role they held; their open sessions end."""
    account = _team(data_dir).remove_user(name)
    err.print(f"removed {account.name}")


@users_app.command("passwd")
@handled
def users_passwd(name: str = typer.Argument(...), password_stdin: bool = PasswordStdinOpt, data_dir: Optional[Path] = DataDirOpt) -> None:
    """Set a user's password; their open sessions end."""
    _team(data_dir).set_password(name, _password(password_stdin))
    err.print(f"password of {name} changed")


@users_app.command("admin")
@handled
def users_admin(name: str = typer.Argument(...), off: bool = typer.Option(False, "--off", help="take the admin role away"),
                data_dir: Optional[Path] = DataDirOpt) -> None:
    """Make a user an admin (``--off``: no longer)."""
    account = _team(data_dir).set_admin(name, not off)
    err.print(f"{account.name} is {'an admin' if account.admin else 'not an admin'}")


@users_app.command("list")
@handled
def users_list(as_json: bool = typer.Option(False, "--json"), data_dir: Optional[Path] = DataDirOpt) -> None:
    """List users and the workspaces each may open."""
    team = _team(data_dir)
    rows = [{**a.public(), "roles": {g.workspace: g.role for g in team.grants.of_user(a.name)}} for a in team.users()]
    if as_json:
        console.print_json(json.dumps(rows))
        return
    table = Table("user", "admin", "roles")
    for row in rows:
        table.add_row(row["name"], "yes" if row["admin"] else "", ", ".join(f"{w}: {r}" for w, r in row["roles"].items()) or "-")
    console.print(table)


@app.command()
@handled
def grant(workspace: str = typer.Argument(..., help="workspace name"), user: str = typer.Argument(...),
          role: str = typer.Argument(..., help=f"one of: {', '.join(ROLES)}"), data_dir: Optional[Path] = DataDirOpt) -> None:
    """Give a user a role in a workspace: viewer (ask, audit, read), editor (+ add, remove, deals), owner (+ grant)."""
    given = _team(data_dir).grant(workspace, user, role)
    err.print(f"{given.user} is now {given.role} of {given.workspace}")


@app.command()
@handled
def revoke(workspace: str = typer.Argument(...), user: str = typer.Argument(...), data_dir: Optional[Path] = DataDirOpt) -> None:
    """Take a user's role in a workspace away."""
    taken = _team(data_dir).revoke(workspace, user)
    err.print(f"{taken.user} is no longer {taken.role} of {taken.workspace}")


@app.command()
@handled
def members(workspace: str = typer.Argument(...), data_dir: Optional[Path] = DataDirOpt) -> None:
    """Who holds which role in a workspace."""
    for g in _team(data_dir).members(workspace):
        console.print(f"{g.user}\t{g.role}")
