"""What the public pages read from other packages through the registries (lecture events,
the growth path) and what publicity contributes to the overview, against known data."""

from __future__ import annotations

from datetime import date, timedelta

from courses.models import LectureKind, Visibility
from lms.core import figures
from lms.db import utcnow
from lms.publicity import services
from tests.factories import (
    ClassSessionFactory,
    CourseFactory,
    LectureFactory,
    TrainingClassFactory,
)
from tests.publicity.conftest import published


def test_events_page_lists_city_wide_sessions_and_live_lectures_with_replays(client, world):
    now = utcnow()
    tour = TrainingClassFactory(title="劳模宣讲进车间", city_wide=True, organization=world["plant"])
    ClassSessionFactory(
        training_class=tour, starts_at=now + timedelta(days=2), instructor=world["hero"]
    )
    closed = TrainingClassFactory(title="厂内焊工班", organization=world["plant"])
    ClassSessionFactory(training_class=closed, starts_at=now + timedelta(days=2))
    course = CourseFactory(
        title="大国工匠", visibility=Visibility.everyone, lecturers=[world["hero"]]
    )
    LectureFactory(
        course=course,
        kind=LectureKind.live,
        title="云宣讲：焊花人生",
        starts_at=now - timedelta(days=5),
        video_url="https://media.example.org/replay.mp4",
    )
    html = client.get("/stories/events").get_data(as_text=True)
    upcoming, past = html.split("往期回顾")
    assert "劳模宣讲进车间" in upcoming and world["hero"].name in upcoming
    assert "厂内焊工班" not in html  # not a public event
    assert "云宣讲：焊花人生" in past and "https://media.example.org/replay.mp4" in past


def test_overview_figures_count_published_stories_and_reports(app, world, column, draft):
    published(world, draft)
    other = services.create_story(
        world["editor"], column=column, person=world["hero"], title="草稿", body="b"
    )
    assert other.status.value == "draft"
    services.record_report(
        world["editor"],
        outlet="江城日报",
        published_on=services.local_today(),
        title="报道",
        link="https://example.com/a",
        organization=world["plant"],
    )
    year = services.local_today().year
    union = world["union"]
    query = figures.Query(
        union.id,
        union.path,
        date(year, 1, 1),
        date(year, 12, 31),
        {world["plant"].id: world["plant"].path},
    )
    with app.test_request_context():
        found = {f.key: f for f in figures.figures_for(query) if f.link == "publicity"}
    assert found["publicity.stories"].value == 1
    assert found["publicity.media_reports"].value == 1
    assert found["publicity.stories"].by_child == {world["plant"].id: 1}


def test_the_story_and_the_report_enter_the_persons_growth_record(app, world, draft):
    from lms.core import growth

    published(world, draft)
    services.record_report(
        world["editor"],
        outlet="江城日报",
        published_on=date(2026, 1, 5),
        title="焊花",
        link="https://example.com/a",
        people=[world["hero"]],
    )
    with app.test_request_context():
        kinds = {
            e.kind for e in growth.entries_for(world["hero"].id, "public") if e.link == "publicity"
        }
    assert kinds == {"story_published", "media_report"}
