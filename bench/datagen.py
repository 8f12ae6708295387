"""Data generator for benchmarks: organizations and people with Chinese names, fast.

``generate(scale)`` makes ``2 × scale`` enterprises with 4 workshops each and 500 workers per
enterprise (employee numbers ``B0000000`` upwards, in order), ``20 × scale`` mentors
(``M…``), one training officer per enterprise (``O…``), a federation officer and an admin
(``S0000000``, ``S0000001``), using bulk INSERTs (100,000 rows in seconds). Everyone's
password is ``BENCH_PASSWORD``. ``bench/citydata.py`` builds the rest of a city on the ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.accounts.models import Organization, OrgKind, Role, SkillLevel, User, UserRole
from lms.accounts.passwords import hash_password
from lms.extensions import db

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕春晓东文斌德玲"
TRADES = [
    "焊工",
    "电工",
    "钳工",
    "车工",
    "铣工",
    "维修电工",
    "起重工",
    "仪表工",
    "数控操作工",
    "管道工",
]
BENCH_PASSWORD = "bench-pass-1"


def chinese_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@dataclass
class Generated:
    federation_id: int
    enterprise_ids: list[int] = field(default_factory=list)
    workshop_ids: list[int] = field(default_factory=list)
    worker_ids: list[int] = field(default_factory=list)
    mentor_ids: list[int] = field(default_factory=list)
    enterprise_officer_ids: list[int] = field(default_factory=list)
    officer_id: int = 0
    admin_id: int = 0


def _insert_org(name: str, kind: OrgKind, parent: Organization | None) -> Organization:
    org = Organization(name=name, kind=kind, parent=parent)
    db.session.add(org)
    db.session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    return org


def generate(
    scale: int = 1,
    workers_per_enterprise: int = 500,
    seed: int = 7,
    password_hash: str | None = None,
) -> Generated:
    """People and organizations; ``password_hash`` (of ``BENCH_PASSWORD``) saves hashing it."""
    rng = random.Random(seed)
    password_hash = password_hash or hash_password(BENCH_PASSWORD)
    federation = _insert_org("基准测试市总工会", OrgKind.federation, None)
    out = Generated(federation_id=federation.id)
    workshops: list[Organization] = []
    for e in range(scale * 2):
        enterprise = _insert_org(f"第{e + 1}机械厂", OrgKind.enterprise, federation)
        out.enterprise_ids.append(enterprise.id)
        for w in range(4):
            workshops.append(_insert_org(f"{w + 1}号车间", OrgKind.workshop, enterprise))
    out.workshop_ids = [w.id for w in workshops]
    db.session.commit()

    def user_rows(prefix: str, count: int, org_ids: list[int]) -> list[dict]:
        return [
            {
                "employee_no": f"{prefix}{i:07d}",
                "name": chinese_name(rng),
                "mobile": None,
                "organization_id": org_ids[i % len(org_ids)],
                "trade": rng.choice(TRADES),
                "skill_level": rng.choice(list(SkillLevel)),
                "password_hash": password_hash,
                "active": True,
                "failed_logins": 0,
                "must_change_password": False,
            }
            for i in range(count)
        ]

    total_workers = scale * 2 * workers_per_enterprise
    for start in range(0, total_workers, 5000):
        rows = user_rows("B", min(5000, total_workers - start), out.workshop_ids)
        for offset, row in enumerate(rows):
            row["employee_no"] = f"B{start + offset:07d}"
            row["mobile"] = f"13{start + offset:09d}"
        ids = db.session.scalars(sa.insert(User).returning(User.id), rows).all()
        db.session.execute(sa.insert(UserRole), [{"user_id": i, "role": Role.worker} for i in ids])
        out.worker_ids.extend(ids)
    mentors = user_rows("M", max(10, scale * 20), out.workshop_ids)
    for row in mentors:
        row["skill_level"] = SkillLevel.senior_technician
    out.mentor_ids = db.session.scalars(sa.insert(User).returning(User.id), mentors).all()
    db.session.execute(
        sa.insert(UserRole),
        [{"user_id": i, "role": r} for i in out.mentor_ids for r in (Role.mentor, Role.worker)],
    )
    officers = user_rows("O", len(out.enterprise_ids), out.enterprise_ids)
    out.enterprise_officer_ids = db.session.scalars(
        sa.insert(User).returning(User.id), officers
    ).all()
    db.session.execute(
        sa.insert(UserRole),
        [{"user_id": i, "role": Role.officer} for i in out.enterprise_officer_ids],
    )
    staff = user_rows("S", 2, [federation.id])
    out.officer_id, out.admin_id = db.session.scalars(
        sa.insert(User).returning(User.id), staff
    ).all()
    db.session.execute(
        sa.insert(UserRole),
        [
            {"user_id": out.officer_id, "role": Role.officer},
            {"user_id": out.admin_id, "role": Role.admin},
        ],
    )
    db.session.commit()
    return out


def api_token_for(user_id: int) -> str:
    from lms.accounts.services import create_api_token

    _token, secret = create_api_token(db.session.get(User, user_id), "bench")
    return secret
