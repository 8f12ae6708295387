"""The catalog is served from a cache: fast, yet never showing a course to the wrong people
and never hiding an edit."""

from courses import services
from courses.models import Visibility
from lms.extensions import db
from tests.factories import CourseFactory, EnterpriseFactory, UserFactory


def _catalog(client) -> str:
    response = client.get("/courses/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_edited_course_shows_its_new_title_in_the_catalog_at_once(client, auth, world):
    auth.login(world.worker)
    assert "压力容器焊接实战" in _catalog(client)
    services.update_course(world.mentor, world.course, title="压力容器焊接实战（第二版）")
    db.session.commit()
    assert "压力容器焊接实战（第二版）" in _catalog(client)


def test_a_published_course_appears_and_an_archived_one_leaves_at_once(client, auth, world):
    auth.login(world.worker)
    assert "数控车床入门" not in _catalog(client)
    CourseFactory(title="数控车床入门", organization=world.enterprise)
    db.session.commit()
    assert "数控车床入门" in _catalog(client)
    services.archive(world.officer, world.course)
    db.session.commit()
    assert "压力容器焊接实战" not in _catalog(client)


def test_a_course_for_one_enterprise_stays_hidden_from_another_after_caching(client, auth, world):
    CourseFactory(
        title="厂内安全规程",
        organization=world.enterprise,
        visibility=Visibility.organizations,
        organizations=[world.enterprise],
    )
    db.session.commit()
    auth.login(world.worker)
    assert "厂内安全规程" in _catalog(client)  # now cached for the enterprise's people
    outsider = UserFactory(name="外厂工人", organization=EnterpriseFactory(name="江城纺织厂"))
    db.session.commit()
    auth.logout()
    auth.login(outsider)
    page = _catalog(client)
    assert "压力容器焊接实战" in page and "厂内安全规程" not in page


def test_the_cached_catalog_reads_no_course_data(client, auth, world, query_counter):
    auth.login(world.worker)
    _catalog(client)
    db.session.expunge_all()  # the tests share one session; a served request starts empty
    with query_counter() as statements:
        _catalog(client)
    # At most the signed-in person (unless cached too) and the unread badge.
    assert len(statements) <= 2 and not any("courses" in s for s in statements), statements
