"""JSON API under /api/v1/innovation: items, review, merging, benefit, rewards, studios,
their ledger and statistics — the same services and permissions as the pages."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.core.apiutil import PageArgsSchema, api_blueprint, page_of, paginated
from lms.errors import NotFound
from lms.extensions import db
from lms.innovation import schemas, services
from lms.innovation.models import Innovation, Stage

blp = api_blueprint(
    "innovation-api",
    __name__,
    "Innovation (创新): suggestions, five smalls, technical innovations, rewards and studios.",
)


def _detail(item, notice=None):
    item.notice = notice
    return item


@blp.route("/innovation/items")
class Items(MethodView):
    @blp.arguments(schemas.InnovationQuerySchema, location="query")
    @blp.response(200, page_of(schemas.InnovationSchema))
    def get(self, args):
        """Items the caller may see: their own and their team's; officers their subtree."""
        filters = services.ItemFilter(
            q=args.get("q"),
            stage=args["stage"].value if args.get("stage") else None,
            kind=args["kind"].value if args.get("kind") else None,
            overdue=args["overdue"],
            mine=args["mine"],
        )
        return paginated(services.items_query(current_user, filters), args)

    @blp.arguments(schemas.InnovationCreateSchema)
    @blp.response(201, schemas.InnovationDetailSchema)
    def post(self, data):
        """Submit for the caller's unit (422 if the team's shares do not sum to 100). Without
        a method the item is filed as an opinion and ``notice`` says why."""
        item = services.submit(
            current_user,
            kind=data["kind"],
            title=data["title"],
            problem=data["problem"],
            method=data.get("method"),
            expected_benefit=data.get("expected_benefit"),
            major=data["major"],
            team=[(m["user_id"], m["share"]) for m in data["team"]],
        )
        return _detail(item, services.opinion_reason() if item.stage == Stage.opinion else None)


@blp.route("/innovation/similar")
class Similar(MethodView):
    @blp.arguments(schemas.InnovationSimilarQuerySchema, location="query")
    @blp.response(200, schemas.InnovationSimilarSchema(many=True))
    def get(self, args):
        """Similar earlier items of the caller's enterprise (shown before submitting)."""
        return services.similar(current_user, args["title"], args["problem"])


@blp.route("/innovation/queue")
class Queue(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.InnovationSchema))
    def get(self, args):
        """Officers: items waiting for an answer in their subtree, the oldest deadline first."""
        return paginated(services.queue_query(current_user), args)


@blp.route("/innovation/items/<int:item_id>")
class Item(MethodView):
    @blp.response(200, schemas.InnovationDetailSchema)
    def get(self, item_id: int):
        """One item with its team, answer and benefit."""
        return _detail(services.get_item(current_user, item_id))


@blp.route("/innovation/items/<int:item_id>/decision")
class Decision(MethodView):
    @blp.arguments(schemas.InnovationDecisionSchema)
    @blp.response(200, schemas.InnovationDetailSchema)
    def post(self, data, item_id: int):
        """Officers in scope: adopted, trial or not_adopted (reason required); 409 if already
        decided, also when another reviewer decided a moment earlier."""
        item = services.get_reviewable(current_user, item_id)
        return _detail(services.decide(current_user, item, data["outcome"], data.get("reason")))


@blp.route("/innovation/items/<int:item_id>/merge")
class Merge(MethodView):
    @blp.arguments(schemas.InnovationMergeSchema)
    @blp.response(200, schemas.InnovationDetailSchema)
    def post(self, data, item_id: int):
        """Officers in scope: merge this later item into the earlier ``original_id``."""
        item = services.get_reviewable(current_user, item_id)
        original = services.get_reviewable(current_user, data["original_id"])
        return _detail(services.merge(current_user, item, original))


@blp.route("/innovation/items/<int:item_id>/support")
class Support(MethodView):
    @blp.response(200, schemas.InnovationSupportSchema)
    def post(self, item_id: int):
        """Colleagues of the same enterprise support an item, once."""
        item = db.session.get(Innovation, item_id)
        if item is None:
            raise NotFound()
        return {"supporters_count": services.support(current_user, item)}


@blp.route("/innovation/items/<int:item_id>/benefit")
class Benefit(MethodView):
    @blp.arguments(schemas.InnovationBenefitSchema)
    @blp.response(200, schemas.InnovationDetailSchema)
    def put(self, data, item_id: int):
        """Officers in scope: target, forecast and actual annual net benefit with the formula
        (after verification a reason is required and the change is audited)."""
        item = services.get_reviewable(current_user, item_id)
        return _detail(services.set_benefit(current_user, item, **data))


@blp.route("/innovation/items/<int:item_id>/verification")
class Verification(MethodView):
    @blp.response(200, schemas.InnovationDetailSchema)
    def post(self, item_id: int):
        """The finance duty verifies the actual figure (409 if verified already)."""
        item = services.get_reviewable(current_user, item_id)
        return _detail(services.verify_benefit(current_user, item))


@blp.route("/innovation/items/<int:item_id>/reward")
class Reward(MethodView):
    @blp.response(201, schemas.InnovationRewardLineSchema(many=True))
    def post(self, item_id: int):
        """Officers in scope: compute the reward of a verified item, split by team shares."""
        item = services.get_reviewable(current_user, item_id)
        return services.compute_reward(current_user, item)


@blp.route("/innovation/rewards")
class Rewards(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.InnovationRewardLineSchema))
    def get(self, args):
        """Reward lines: a worker's own; officers those of their subtree."""
        return paginated(services.ledger_query(current_user), args)


@blp.route("/innovation/studios")
class Studios(MethodView):
    @blp.arguments(schemas.InnovationStudioQuerySchema, location="query")
    @blp.response(200, page_of(schemas.InnovationStudioSchema))
    def get(self, args):
        """Named studios; officers also the applications of their subtree."""
        status = args["status"].value if args.get("status") else None
        return paginated(services.studios_query(current_user, args.get("q"), status), args)

    @blp.arguments(schemas.InnovationStudioSchema)
    @blp.response(201, schemas.InnovationStudioSchema)
    def post(self, data):
        """Officers: register a studio application (422 if the lead has no qualifying honour)."""
        return services.register_studio(
            current_user,
            name=data["name"],
            lead=services.get_person(current_user, data["lead_id"], "lead_id"),
            organization=services.get_organization(current_user, data["organization_id"]),
            level=data["level"],
            year=data["year"],
            trade=data.get("trade"),
            plan=data.get("plan"),
            member_ids=data["member_ids"],
        )


@blp.route("/innovation/studios/<int:studio_id>")
class StudioItem(MethodView):
    @blp.response(200, schemas.InnovationStudioSchema)
    def get(self, studio_id: int):
        """One studio."""
        return services.get_studio(current_user, studio_id)


@blp.route("/innovation/studios/<int:studio_id>/decision")
class StudioDecision(MethodView):
    @blp.arguments(schemas.InnovationStudioDecisionSchema)
    @blp.response(200, schemas.InnovationStudioSchema)
    def post(self, data, studio_id: int):
        """Officers in scope: name the studio or turn it down (with a reason)."""
        studio = services.get_studio(current_user, studio_id)
        return services.decide_studio(current_user, studio, data["approve"], data.get("reason"))


@blp.route("/innovation/studios/<int:studio_id>/revocation")
class StudioRevocation(MethodView):
    @blp.arguments(schemas.InnovationReasonSchema)
    @blp.response(200, schemas.InnovationStudioSchema)
    def post(self, data, studio_id: int):
        """Officers in scope: revoke a named studio, with a reason."""
        studio = services.get_studio(current_user, studio_id)
        return services.revoke_studio(current_user, studio, data["reason"])


@blp.route("/innovation/studios/<int:studio_id>/ledger")
class StudioLedger(MethodView):
    @blp.response(200, schemas.InnovationLedgerEntrySchema(many=True))
    def get(self, studio_id: int):
        """Officers in scope: the studio's ledger, oldest first."""
        studio = services.get_studio(current_user, studio_id)
        if not services.can_manage(current_user, studio):
            raise NotFound()
        return studio.entries

    @blp.arguments(schemas.InnovationLedgerEntrySchema)
    @blp.response(201, schemas.InnovationLedgerEntrySchema)
    def post(self, data, studio_id: int):
        """Officers in scope: a grant or a spending (422 if it would overdraw the balance)."""
        studio = services.get_studio(current_user, studio_id)
        return services.add_entry(
            current_user,
            studio,
            data["kind"],
            data["amount"],
            data["description"],
            data.get("corrects_id"),
        )


@blp.route("/innovation/stats")
class Stats(MethodView):
    @blp.arguments(schemas.InnovationStatsQuerySchema, location="query")
    @blp.response(200, schemas.InnovationStatsSchema)
    def get(self, args):
        """Officers: items by kind and stage, adoption rate, median days to answer and
        verified benefit for an organization's subtree and period."""
        org = services.get_organization(current_user, args["organization_id"])
        stats = services.compute_stats(current_user, org, args["start"], args["end"])
        return {
            "organization": org,
            "start": stats.start,
            "end": stats.end,
            "total": stats.total,
            "by_stage": {s.value: n for s, n in stats.by_stage.items()},
            "by_kind": {
                k.value: {s.value: n for s, n in row.items()} for k, row in stats.by_kind.items()
            },
            "adoption_rate": stats.adoption_rate,
            "median_days": stats.median_days,
            "verified_benefit": stats.verified_benefit,
        }


@blp.route("/innovation/grades")
class Grades(MethodView):
    @blp.response(200, schemas.InnovationGradeTableSchema)
    def get(self):
        """The reward grade table in use, highest threshold first."""
        return {"grades": services.grade_table()}

    @blp.arguments(schemas.InnovationGradeTableSchema)
    @blp.response(200, schemas.InnovationGradeTableSchema)
    def put(self, data):
        """Admins: replace the grade table (audited)."""
        return {"grades": services.set_grade_table(current_user, data["grades"])}


@blp.route("/innovation/studios/<int:studio_id>/members")
class StudioMembers(MethodView):
    @blp.arguments(schemas.InnovationStudioMemberSchema)
    @blp.response(201, schemas.InnovationStudioSchema)
    def post(self, data, studio_id: int):
        """Officers in scope: add a member to the studio (409 if already one)."""
        studio = services.get_studio(current_user, studio_id)
        user = services.get_person(current_user, data["user_id"], "user_id")
        services.add_member(current_user, studio, user)
        return studio


from lms.innovation import api_awards  # noqa: E402, F401  (its routes join this blueprint)
