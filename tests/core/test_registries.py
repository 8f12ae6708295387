"""The registries through which packages contribute to pages that import no domain."""

from __future__ import annotations

from datetime import date

import pytest

from lms.core import charts, figures, growth


@pytest.fixture
def isolated(monkeypatch):
    monkeypatch.setattr(growth, "_PROVIDERS", [])
    monkeypatch.setattr(figures, "_PROVIDERS", [])


def test_care_received_is_shown_to_the_person_alone_and_public_entries_carry_no_link(isolated):
    def provider(user_id, audience):
        return [
            growth.Entry(
                "cultivation", "course_completed", "焊接基础", date(2026, 3, 1), url="/c/1"
            ),
            growth.Entry("service", "visit", "春节慰问", date(2026, 2, 1), private=True),
        ]

    growth.register(provider)
    assert [e.kind for e in growth.entries_for(7, "self")] == ["course_completed", "visit"]
    assert [e.kind for e in growth.entries_for(7, "officer")] == ["course_completed"]
    public = growth.entries_for(7, "public")
    assert [(e.kind, e.url) for e in public] == [("course_completed", None)]
    with pytest.raises(ValueError):
        growth.entries_for(7, "everyone")


def test_figures_come_in_the_unions_order_of_links_and_an_unknown_link_is_refused(isolated):
    query = figures.Query(1, "/1/", date(2026, 1, 1), date(2026, 12, 31))
    figures.register(lambda q: [figures.Figure("selection", "s.n", "推荐", 3)])
    figures.register(lambda q: [figures.Figure("service", "c.n", "慰问", 5)])
    assert [f.link for f in figures.figures_for(query)] == ["service", "selection"]
    figures.register(lambda q: [figures.Figure("sports", "x", "x", 1)])
    with pytest.raises(ValueError):
        figures.figures_for(query)


def test_a_chart_keeps_its_figures_and_draws_no_script():
    chart = charts.bar("按单位", ["一厂", "二厂"], {"人次": [120, 80]})
    assert chart.rows() == [("一厂", [120]), ("二厂", [80])]
    assert b"<script" not in chart.svg and chart.data_uri.startswith("data:image/svg+xml;base64,")
    with pytest.raises(ValueError):
        charts.line("趋势", ["1月", "2月"], {"人次": [1]})
