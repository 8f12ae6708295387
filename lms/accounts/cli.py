"""Command-line tools for accounts: ``flask accounts ...``."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from lms.accounts import importer, services
from lms.accounts.models import Organization, OrgKind, Role
from lms.errors import DomainError
from lms.extensions import db

group = AppGroup("accounts", help="People and organizations.")


@group.command("import-workers")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--password",
    "initial_password",
    required=True,
    help="Initial password for everyone imported; they must change it at first sign-in.",
)
@click.option("--dry-run", is_flag=True, help="Only check the file.")
def import_workers(path: Path, initial_password: str, dry_run: bool) -> None:
    """Import workers from an XLSX or CSV file (all rows or none)."""
    try:
        result = importer.import_workers(
            None, path.name, path.read_bytes(), initial_password, dry_run=dry_run
        )
    except DomainError as exc:
        for messages in exc.errors.values():
            for message in messages:
                click.echo(f"错误: {message}", err=True)
        raise SystemExit(2) from exc
    if result.errors:
        for item in result.errors.as_list():
            click.echo(
                f"第 {item['row']} 行 [{item['column']}]: {'；'.join(item['messages'])}", err=True
            )
        click.echo(f"文件有错误，未导入任何数据（共 {result.rows} 行）。", err=True)
        raise SystemExit(1)
    if dry_run:
        click.echo(f"检查通过：{result.rows} 行均可导入。")
    else:
        click.echo(f"已导入 {result.created} 人。")


@group.command("create-admin")
@click.option("--employee-no", required=True)
@click.option("--name", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(employee_no: str, name: str, password: str) -> None:
    """Create an administrator at the top of the organization tree (creating it if empty)."""
    root = db.session.scalar(sa.select(Organization).where(Organization.parent_id.is_(None)))
    if root is None:
        root = services.create_organization(None, "市总工会", OrgKind.federation, None)
    try:
        services.validate_password_strength(password)
        services.create_user(
            None,
            organization=root,
            roles=[Role.admin, Role.officer],
            password=password,
            employee_no=employee_no,
            name=name,
        )
    except DomainError as exc:
        raise click.ClickException(exc.message + " " + str(exc.errors)) from exc
    click.echo(f"管理员 {name}（{employee_no}）已创建。")


def register(app: Flask) -> None:
    app.cli.add_command(group)
