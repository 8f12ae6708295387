"""The care file and the report read a fixed number of statements, whatever the history."""

from datetime import timedelta

from lms.care import services


def _history(world, n):
    carer, hero = world["carer"], world["hero"]
    for i in range(n):
        case = services.open_case(
            carer, hero, need="illness", help_kind="special_hardship", title=f"案{i}"
        )
        services.add_step(carer, case, text="回访", due_on=services.local_today())
        services.record_payment(carer, case, amount="100")
        services.plan_visit(
            carer, hero, occasion="holiday", planned_on=services.local_today() + timedelta(days=1)
        )


def test_file_and_report_queries_do_not_grow_with_the_history(world, query_counter):
    _history(world, 2)
    with query_counter() as small:
        services.care_file(world["carer"], world["hero"].id)
        services.build(world["carer"])
    _history(world, 12)
    with query_counter() as large:
        f = services.care_file(world["carer"], world["hero"].id)
        services.build(world["carer"])
    assert len(f.timeline) >= 14 * 4
    assert len(large) == len(small)
