"""Lists that grow run a fixed number of statements: the editors' list, a column's public
page on its first view, the most-read table."""

from __future__ import annotations

import pytest

from lms.extensions import cache
from lms.publicity import services
from tests.factories import UserFactory


def _stories(world, column, n):
    for i in range(n):
        person = UserFactory(organization=world["weld"])
        story = services.create_story(
            world["editor"], column=column, person=person, title=f"事迹{i}", body="正文"
        )
        services.submit(world["editor"], story)
        services.give_consent(person, story, show_growth=False)
        services.publish(world["reviewer"], story)


@pytest.mark.parametrize("url", ["/publicity/", "/publicity/reach", "public-column"])
def test_statements_do_not_grow_with_the_stories(client, auth, world, column, query_counter, url):
    auth.login(world["editor"])
    path = f"/stories/columns/{column.id}" if url == "public-column" else url
    counts = []
    for n in (2, 8):
        _stories(world, column, n)
        cache.clear()  # the public page's first view, each time
        client.get(path)
        with query_counter() as statements:
            cache.clear()
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
