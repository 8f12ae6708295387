"""The judges' pages read a bounded number of statements however many contestants a trade
has: the code list and a code's marking sheet and its submission."""

from lms.competitions import services
from lms.extensions import db
from tests.competitions.helpers import build
from tests.factories import UserFactory


def _grow(world, per_plant: int) -> None:
    for officer, plant in zip(world.officers, world.plants, strict=True):
        for _ in range(per_plant):
            services.register(officer, world.trade, UserFactory(organization=plant))
    db.session.commit()


def _count(client, query_counter, url, data=None):
    with query_counter() as statements:
        response = client.post(url, data=data) if data else client.get(url)
    assert response.status_code in (200, 302), url
    return len(statements)


def test_judging_pages_do_not_grow_with_the_contestants(app, client, auth, query_counter):
    world = build(places=1000)
    judge = world.chief
    counts = []
    for per_plant in (2, 18):  # 4 contestants, then 40
        _grow(world, per_plant)
        auth.login(judge)
        codes = services.judge_codes(judge, world.trade)
        base = f"/competitions/judging/trades/{world.trade.id}"
        counts.append(
            (
                _count(client, query_counter, base),
                _count(client, query_counter, f"{base}/codes/{codes[-1]}"),
                _count(
                    client,
                    query_counter,
                    f"{base}/codes/{codes[-1]}",
                    {"m-M1": "40", "m-J1": "2"},
                ),
                _count(
                    client,
                    query_counter,
                    f"/api/v1/competitions/judging/trades/{world.trade.id}/codes",
                ),
            )
        )
        auth.logout()
    assert all(later <= first for first, later in zip(*counts, strict=True)), counts
