"""Paged lists: the right items and totals, and no count query when the page is the last."""

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.core.pages import paginate
from tests.factories import UserFactory


def _counted(statements: list[str]) -> bool:
    return any("count(" in statement.lower() for statement in statements)


@pytest.fixture
def people(app):
    UserFactory.create_batch(25)
    return sa.select(User).order_by(User.id)


@pytest.mark.parametrize(
    ("page", "shown", "counted"),
    [(1, 10, True), (2, 10, True), (3, 5, False), (9, 0, True)],
)
def test_each_page_shows_its_people_and_the_total(app, people, query_counter, page, shown, counted):
    with app.test_request_context(f"/?page={page}"), query_counter() as run:
        listing = paginate(people, per_page=10)
    assert len(listing.items) == shown and listing.total == 25 and listing.pages == 3
    assert _counted(run) == counted
    if shown:
        assert listing.items[0].id == listing.items[-1].id - (shown - 1)


def test_a_list_that_fits_on_one_page_needs_no_count(app, query_counter):
    UserFactory.create_batch(7)
    with app.test_request_context("/"), query_counter() as run:
        listing = paginate(sa.select(User).order_by(User.id), per_page=10)
    assert (len(listing.items), listing.total, listing.pages, _counted(run)) == (7, 7, 1, False)
    assert not listing.has_next
