"""``flask lms ...``: set-up commands used by ``make run`` and by operators."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from lms.extensions import db

group = AppGroup("lms", help="Craftsman Academy set-up.")


@group.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when there is nobody in the database yet.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo organizations, people and activity."""
    from lms.core import demo

    users = db.metadata.tables["users"]  # by name: lms.core imports no domain
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(users)):
        click.echo("数据库中已有数据，跳过演示数据。")
        return
    demo.load_all()
    click.echo(f"演示数据已载入。演示账号密码均为 {demo.DEMO_PASSWORD}。")


@group.command("prepare-broker")
def prepare_broker() -> None:
    """Declare the task queues before worker and beat start.

    With the embedded SQLite transport, a worker and beat starting together would both
    try to create the same queue rows; declaring them first avoids that race.
    """
    from flask import current_app

    celery = current_app.extensions["celery"]
    with celery.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in celery.conf.task_queues:
            queue.bind(channel).declare()
    click.echo("任务队列已就绪：" + "、".join(q.name for q in celery.conf.task_queues))


def register(app: Flask) -> None:
    app.cli.add_command(group)
