"""Assessment engine: who may call its routes. The seed is a bank and an open exam of the first
enterprise (T0001 and the admin manage them) and W0001's sitting of it, still open."""

from __future__ import annotations

from tests.matrix import (  # noqa: F401 - the table's vocabulary
    ADMIN,
    EVERYONE,
    IN_SCOPE,
    MENTOR,
    OFFICERS,
    SIGNED_IN,
    WORKER,
    Ref,
    may,
)

DEFAULT_IDS = {
    "bank_id": "assessment_bank",
    "exam_id": "assessment_exam",
    "sitting_id": "assessment_sitting",
    "position": 1,
}
QUESTION = {"question_id": "assessment_question"}
# Who may sit the first enterprise's exam: its people (W0001, M0001 of its welding shop, T0001
# of the enterprise itself). The admin manages it from the union above but is no candidate;
# T0002 works elsewhere.
SITTERS = frozenset({"worker", "mentor", "officer"})
# A sitting is read by its candidate and by the exam's managers.
SITTING_READERS = frozenset({"worker", "officer", "admin"})
NEW_QUESTION = {"kind": "true_false", "text": "矩阵新题", "topic": "安全", "answer": [0]}

ENTRIES = {
    "assessment.my_exams GET": may(SIGNED_IN),
    "assessment.start POST": may(SITTERS, why="open to the enterprise's subtree"),
    "assessment.sitting GET": may(SITTING_READERS),
    "assessment.save POST": may(WORKER, form={"q1": "0", "t1": "钛钙"}, why="her own paper"),
    "assessment.banks GET": may(OFFICERS),
    "assessment.banks POST": may(OFFICERS, form={"name": "矩阵题库"}, why="a bad org is a 422"),
    "assessment.bank GET": may(IN_SCOPE),
    "assessment.add_question POST": may(IN_SCOPE, form={"kind": "fill", "text": "题"}),
    "assessment.import_questions POST": may(IN_SCOPE, form={}),
    "assessment.import_template GET": may(OFFICERS),
    "assessment.retire_question POST": may(IN_SCOPE, ids=QUESTION),
    "assessment.new_exam POST": may(IN_SCOPE, form={"title": "矩阵考试"}),
    "assessment.exam GET": may(IN_SCOPE),
    "assessment-api.Banks GET": may(OFFICERS),
    "assessment-api.Banks POST": may(
        IN_SCOPE, json={"organization_id": Ref("enterprise"), "name": "接口题库"}
    ),
    "assessment-api.BankItem GET": may(IN_SCOPE),
    "assessment-api.Questions GET": may(IN_SCOPE),
    "assessment-api.Questions POST": may(IN_SCOPE, json=NEW_QUESTION),
    "assessment-api.Import POST": may(
        IN_SCOPE, json={"filename": "a.csv", "content": "6aKY5Z6LCg=="}, why="no rows: 422"
    ),
    "assessment-api.QuestionItem DELETE": may(IN_SCOPE, ids=QUESTION),
    "assessment-api.Exams GET": may(OFFICERS),
    "assessment-api.Exams POST": may(
        IN_SCOPE,
        json={
            "bank_id": Ref("assessment_bank"),
            "title": "接口考试",
            "blueprint": [{"topic": "安全", "count": 1}],
            "duration_minutes": 20,
            "opens_at": "2026-01-01T08:00:00+08:00",
        },
    ),
    "assessment-api.ExamItem GET": may(IN_SCOPE),
    "assessment-api.ExamResults GET": may(IN_SCOPE),
    "assessment-api.MyExams GET": may(SIGNED_IN),
    "assessment-api.StartSitting POST": may(SITTERS),
    "assessment-api.SittingItem GET": may(SITTING_READERS),
    "assessment-api.Answer PUT": may(WORKER, json={"choices": [0], "text": "钛钙"}),
    "assessment-api.Submit POST": may(WORKER),
}


def seed(person: dict, machine) -> dict[str, object]:
    from datetime import timedelta

    from lms.assessment import services
    from lms.db import utcnow

    officer, worker = person["T0001"], person["W0001"]
    bank = services.create_bank(officer, machine, "矩阵用题库", "焊工")
    questions = [
        services.add_question(
            officer,
            bank,
            {"kind": "true_false", "text": f"判断 {i}", "topic": "安全", "answer": [i % 2]},
        )
        for i in range(3)
    ]
    exam = services.create_exam(
        officer,
        bank,
        title="矩阵用考试",
        blueprint=[{"topic": "安全", "count": 2}],
        duration_minutes=600,
        opens_at=utcnow() - timedelta(hours=1),
    )
    sitting = services.start(worker, exam.id)
    return {
        "assessment_bank": bank.id,
        "assessment_question": questions[0].id,
        "assessment_exam": exam.id,
        "assessment_sitting": sitting.id,
    }
