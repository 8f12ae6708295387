"""JSON API for courses, lectures, enrollments, progress, quizzes and reports."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from courses import schemas, services
from lms.core.apiutil import PageArgsSchema, api_blueprint, page_of, paginated
from lms.errors import NotFound
from lms.extensions import limiter

blp = api_blueprint(
    "courses-api", __name__, "Courses, lectures, enrollment, progress, quizzes and reports."
)


@blp.route("/courses")
class Courses(MethodView):
    @blp.arguments(schemas.CourseQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CourseSchema))
    def get(self, args):
        """The catalog: published courses visible to the caller, searchable and filterable."""
        filters = services.CatalogFilter(
            q=args.get("q"),
            trade=args.get("trade"),
            skill_level=args["skill_level"].value if args.get("skill_level") else None,
            lecturer_id=args.get("lecturer_id"),
            organization_id=args.get("organization_id"),
            sort=args["sort"],
        )
        return paginated(services.catalog_query(current_user, filters), args)

    @blp.arguments(schemas.CourseSchema)
    @blp.response(201, schemas.CourseSchema)
    def post(self, data):
        """Create a draft course (mentors become its lecturer)."""
        return services.create_course(current_user, **data)


@blp.route("/courses/<int:course_id>")
class CourseItem(MethodView):
    @blp.response(200, schemas.CourseSchema)
    def get(self, course_id: int):
        """One course the caller may see (drafts only for its editors)."""
        return services.get_course(current_user, course_id)

    @blp.arguments(schemas.CourseUpdateSchema(partial=True))
    @blp.response(200, schemas.CourseSchema)
    def patch(self, data, course_id: int):
        """Edit a course (its lecturers, or officers in scope)."""
        course = services.get_course(current_user, course_id, for_edit=True)
        return services.update_course(current_user, course, **data)


@blp.route("/courses/<int:course_id>/publish", methods=["POST"])
@blp.response(200, schemas.CourseSchema)
def publish(course_id: int):
    """Publish a course (officers in scope)."""
    return services.publish(current_user, services.get_course(current_user, course_id))


@blp.route("/courses/<int:course_id>/archive", methods=["POST"])
@blp.response(200, schemas.CourseSchema)
def archive(course_id: int):
    """Archive a published course (officers in scope)."""
    return services.archive(current_user, services.get_course(current_user, course_id))


@blp.route("/courses/<int:course_id>/lectures")
class CourseLectures(MethodView):
    @blp.response(200, schemas.LectureSchema(many=True))
    def get(self, course_id: int):
        """The syllabus, in order."""
        return services.get_course(current_user, course_id).lectures

    @blp.arguments(schemas.LectureSchema)
    @blp.response(201, schemas.LectureSchema)
    def post(self, data, course_id: int):
        """Add a lecture at the end; a quiz may carry its ``questions`` (upload files through
        the authoring page)."""
        course = services.get_course(current_user, course_id, for_edit=True)
        kind = data.pop("kind")
        return services.add_lecture(current_user, course, kind, **data)

    @blp.arguments(schemas.ReorderSchema)
    @blp.response(200, schemas.LectureSchema(many=True))
    def put(self, data, course_id: int):
        """Reorder: the course's lecture ids in their new order."""
        course = services.get_course(current_user, course_id, for_edit=True)
        services.reorder_lectures(current_user, course, data["lecture_ids"])
        return services.get_course(current_user, course_id).lectures


@blp.route("/lectures/<int:lecture_id>")
class LectureItem(MethodView):
    @blp.response(200, schemas.LectureDetailSchema)
    def get(self, lecture_id: int):
        """A lecture to study; quiz questions come without their answers."""
        return services.open_lecture(current_user, lecture_id).lecture

    @blp.arguments(schemas.LectureUpdateSchema(partial=True))
    @blp.response(200, schemas.LectureSchema)
    def patch(self, data, lecture_id: int):
        """Edit a lecture (its course's editors); ``questions`` replace a quiz's questions."""
        lecture = services.get_lecture_for_edit(current_user, lecture_id)
        return services.update_lecture(current_user, lecture, **data)


@blp.route("/lectures/<int:lecture_id>/progress", methods=["PUT"])
@limiter.exempt  # the player saves every few seconds while a video plays
@blp.arguments(schemas.ProgressInSchema)
@blp.response(200, schemas.ProgressSchema)
def save_progress(data, lecture_id: int):
    """Save the video position and/or mark the lecture done (seated learners).

    The server counts watched time itself: a save adds at most the time since the previous
    save (at the player's fastest speed) to the watched total, and a video completes when
    that total reaches 90% of its length, whatever position is sent.
    """
    row = services.save_progress(current_user, lecture_id, **data)
    if row is None:  # a lecturer previewing
        return {"lecture_id": lecture_id, "position_seconds": 0, "completed": False, "saved": False}
    return {
        "lecture_id": lecture_id,
        "position_seconds": row.position_seconds,
        "completed": row.completed,
        "saved": True,
    }


@blp.route("/lectures/<int:lecture_id>/attempts", methods=["POST"])
@blp.arguments(schemas.QuizSubmitSchema)
@blp.response(201, schemas.QuizResultSchema)
def submit_quiz(data, lecture_id: int):
    """Submit quiz answers {question_id: [option_id]}; scored against the pass mark."""
    answers = {int(k): v for k, v in data["answers"].items()}
    result = services.submit_quiz(current_user, lecture_id, answers)
    lecture = services.open_lecture(current_user, lecture_id).lecture
    return {
        "number": result.attempt.number,
        "score": result.attempt.score,
        "passed": result.attempt.passed,
        "pass_mark": lecture.pass_mark,
        "attempts_left": result.attempts_left,
        "correct_question_ids": sorted(result.correct_question_ids),
        "course_completed": result.course_completed,
    }


@blp.route("/enrollments")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_of(schemas.EnrollmentSchema))
def my_enrollments(args):
    """The caller's own enrollments."""
    return paginated(services.my_learning_query(current_user), args)


@blp.route("/courses/<int:course_id>/enrollment")
class MyEnrollment(MethodView):
    @blp.response(200, schemas.EnrollmentSchema)
    def get(self, course_id: int):
        """The caller's enrollment in the course."""
        enrollment = services.enrollment_for(current_user.id, course_id)
        if enrollment is None:
            raise NotFound()
        return enrollment

    @blp.response(201, schemas.EnrollmentSchema)
    def post(self, course_id: int):
        """Enroll oneself: seated, or waitlisted when the course is full."""
        course = services.get_course(current_user, course_id)
        return services.self_enroll(current_user, course)

    @blp.response(204)
    def delete(self, course_id: int):
        """Leave the course; a freed seat goes to the first person waiting."""
        enrollment = services.enrollment_for(current_user.id, course_id)
        if enrollment is None:
            raise NotFound()
        services.withdraw(current_user, enrollment)


@blp.route("/courses/<int:course_id>/assignments", methods=["POST"])
@blp.arguments(schemas.AssignSchema)
@blp.response(201, schemas.AssignResultSchema)
def assign(data, course_id: int):
    """Assign the course to people and/or an organization, with an optional due date."""
    course = services.get_course(current_user, course_id)
    return services.assign(current_user, course, **data)


@blp.route("/courses/<int:course_id>/report")
@blp.response(200, schemas.ReportSchema)
def report(course_id: int):
    """Enrolled, in progress, completed, quiz average, completion rate by organization."""
    return services.course_report(current_user, services.get_course(current_user, course_id))
