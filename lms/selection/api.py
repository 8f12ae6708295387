"""JSON API of selection under /api/v1/selection/…: the same services and permissions as
the pages. The public notice is also served without sign-in, from the same cache rule."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.accounts.models import Organization
from lms.core.apiutil import api_blueprint, page_of, paginated
from lms.errors import NotFound
from lms.extensions import db
from lms.selection import schemas, services

blp = api_blueprint(
    "selection-api",
    __name__,
    "Selection (选树): campaigns, quotas, nomination dossiers and their review up the "
    "organization tree, the public notice, objections, vetting, committee votes, approval.",
)
public_blp = api_blueprint(
    "selection-public-api",
    __name__ + ".public",
    "The public notice of a selection campaign, as JSON, without sign-in.",
    public=True,
)


def _campaign(campaign_id: int):
    return services.get_campaign(current_user, campaign_id)


def _dossier(dossier_id: int):
    return services.get_dossier(current_user, dossier_id)


@public_blp.route("/selection/notices/<int:campaign_id>")
class PublicNotice(MethodView):
    @public_blp.response(200, schemas.PublicNoticeSchema)
    def get(self, campaign_id: int):
        """The published notice: names, units, short achievements in surname-stroke order."""
        return services.public_notice(campaign_id)


@blp.route("/selection/campaigns")
class Campaigns(MethodView):
    @blp.arguments(schemas.SearchArgsSchema, location="query")
    @blp.response(200, page_of(schemas.CampaignSchema))
    def get(self, args):
        """Campaigns the caller organises or nominates into."""
        return paginated(services.campaigns_query(current_user, args.get("q")), args)

    @blp.arguments(schemas.CampaignCreateSchema)
    @blp.response(201, schemas.CampaignSchema)
    def post(self, data):
        """Start a campaign organised by the caller's organization."""
        return services.create_campaign(current_user, current_user.organization, **data)


@blp.route("/selection/campaigns/<int:campaign_id>")
class CampaignItem(MethodView):
    @blp.response(200, schemas.CampaignDetailSchema)
    def get(self, campaign_id: int):
        """A campaign, with the live composition of its list and why approval waits."""
        campaign = _campaign(campaign_id)
        campaign.composition = services.composition(campaign)
        campaign.approval_blockers = services.approval_blockers(campaign)
        return campaign


@blp.route("/selection/campaigns/<int:campaign_id>/quotas")
class Quotas(MethodView):
    @blp.arguments(schemas.QuotaSchema)
    @blp.response(200, schemas.QuotaSchema)
    def put(self, data, campaign_id: int):
        """Set how many candidates an organization may send up (organizers)."""
        campaign = _campaign(campaign_id)
        organization = db.session.get(Organization, data["organization_id"])
        if organization is None:
            raise NotFound()
        return services.set_quota(current_user, campaign, organization, data["places"])


@blp.route("/selection/campaigns/<int:campaign_id>/queue")
class Queue(MethodView):
    @blp.arguments(schemas.SearchArgsSchema, location="query")
    @blp.response(200, page_of(schemas.DossierSchema))
    def get(self, args, campaign_id: int):
        """What waits at the caller's level."""
        campaign = _campaign(campaign_id)
        return paginated(services.queue_query(current_user, campaign, args.get("q")), args)


@blp.route("/selection/campaigns/<int:campaign_id>/dossiers")
class Dossiers(MethodView):
    @blp.arguments(schemas.SearchArgsSchema, location="query")
    @blp.response(200, page_of(schemas.DossierSchema))
    def get(self, args, campaign_id: int):
        """Every dossier from the caller's subtree (all of them for organizers)."""
        campaign = _campaign(campaign_id)
        return paginated(services.dossiers_query(current_user, campaign, args.get("q")), args)

    @blp.arguments(schemas.DossierCreateSchema)
    @blp.response(201, schemas.DossierDetailSchema)
    def post(self, data, campaign_id: int):
        """Nominate a person of the caller's subtree (a draft at the caller's level)."""
        from lms.accounts.models import User

        campaign = _campaign(campaign_id)
        candidate = db.session.get(User, data.pop("candidate_id"))
        if candidate is None:
            raise NotFound()
        return services.nominate(current_user, campaign, candidate, **data)


@blp.route("/selection/dossiers/<int:dossier_id>")
class DossierItem(MethodView):
    @blp.response(200, schemas.DossierDetailSchema)
    def get(self, dossier_id: int):
        """A dossier with every step it took."""
        return _dossier(dossier_id)


@blp.route("/selection/dossiers/<int:dossier_id>/submission")
class Submission(MethodView):
    @blp.response(200, schemas.DossierSchema)
    def post(self, dossier_id: int):
        """Send the dossier up (takes one of the level's places)."""
        return services.submit(current_user, _dossier(dossier_id))


@blp.route("/selection/dossiers/<int:dossier_id>/approval")
class Approval(MethodView):
    @blp.arguments(schemas.NoteSchema)
    @blp.response(200, schemas.DossierSchema)
    def post(self, data, dossier_id: int):
        """Approve at the caller's level: up one level, or onto the list at the top."""
        return services.approve(current_user, _dossier(dossier_id), data.get("note"))


@blp.route("/selection/dossiers/<int:dossier_id>/return")
class Return(MethodView):
    @blp.arguments(schemas.ReasonSchema)
    @blp.response(200, schemas.DossierSchema)
    def post(self, data, dossier_id: int):
        """Return to the level below with reasons."""
        return services.return_dossier(current_user, _dossier(dossier_id), data["reason"])


@blp.route("/selection/dossiers/<int:dossier_id>/rejection")
class Rejection(MethodView):
    @blp.arguments(schemas.ReasonSchema)
    @blp.response(200, schemas.DossierSchema)
    def post(self, data, dossier_id: int):
        """Reject: the dossier stops and frees its places."""
        return services.reject(current_user, _dossier(dossier_id), data["reason"])


@blp.route("/selection/campaigns/<int:campaign_id>/notice")
class PublishNotice(MethodView):
    @blp.arguments(schemas.NoticeBodySchema)
    @blp.response(201, schemas.PublicNoticeSchema)
    def post(self, data, campaign_id: int):
        """Publish the list on public notice (organizers; stored once, never changed)."""
        campaign = _campaign(campaign_id)
        services.publish_notice(current_user, campaign, data.get("body"))
        return services.public_notice(campaign.id)


@blp.route("/selection/campaigns/<int:campaign_id>/approval")
class CampaignApproval(MethodView):
    @blp.response(200, schemas.HonourSchema(many=True))
    def post(self, campaign_id: int):
        """Approve the list: honours conferred, certificates issued (after the notice)."""
        return services.approve_campaign(current_user, _campaign(campaign_id))


@blp.route("/selection/campaigns/<int:campaign_id>/objections")
class Objections(MethodView):
    @blp.arguments(schemas.PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.ObjectionSchema))
    def get(self, args, campaign_id: int):
        """Objections with the objectors (organizers only: confidential)."""
        campaign = _campaign(campaign_id)
        return paginated(services.objections_query(current_user, campaign), args)

    @blp.arguments(schemas.ObjectionCreateSchema)
    @blp.response(201, schemas.ObjectionReceiptSchema)
    def post(self, data, campaign_id: int):
        """Object to a candidate on notice, under the caller's real name."""
        campaign = services.get_notice(campaign_id).campaign
        dossier_id = data.pop("dossier_id")
        return services.file_objection(current_user, campaign, dossier_id, **data)


@blp.route("/selection/objections/<int:objection_id>/investigation")
class Investigation(MethodView):
    @blp.arguments(schemas.InvestigationSchema)
    @blp.response(200, schemas.ObjectionSchema)
    def post(self, data, objection_id: int):
        """Record the investigation and the unit's explanation."""
        objection = services.get_objection(current_user, objection_id)
        return services.investigate(
            current_user,
            objection,
            note=data["investigation"],
            unit_explanation=data.get("unit_explanation"),
        )


@blp.route("/selection/objections/<int:objection_id>/finding")
class Finding(MethodView):
    @blp.arguments(schemas.FindingSchema)
    @blp.response(200, schemas.ObjectionSchema)
    def post(self, data, objection_id: int):
        """Record the finding."""
        objection = services.get_objection(current_user, objection_id)
        return services.record_finding(current_user, objection, data["finding"])


@blp.route("/selection/objections/<int:objection_id>/disposition")
class DispositionItem(MethodView):
    @blp.arguments(schemas.DispositionSchema)
    @blp.response(200, schemas.ObjectionSchema)
    def post(self, data, objection_id: int):
        """Close the objection (upheld: the candidate is withdrawn)."""
        objection = services.get_objection(current_user, objection_id)
        return services.dispose(
            current_user, objection, data["disposition"], data["disposition_note"]
        )


@blp.route("/selection/vettings/<int:vetting_id>")
class VettingAnswer(MethodView):
    @blp.arguments(schemas.VettingAnswerSchema)
    @blp.response(200, schemas.ObjectionReceiptSchema)
    def post(self, data, vetting_id: int):
        """A department reviewer passes or vetoes (a veto needs the reason)."""
        vetting = services.answer(current_user, vetting_id, data["verdict"], data.get("reason"))
        return {"id": vetting.id, "status": vetting.verdict.value}


@blp.route("/selection/campaigns/<int:campaign_id>/votes")
class Votes(MethodView):
    @blp.arguments(schemas.VoteSchema)
    @blp.response(201, schemas.ObjectionReceiptSchema)
    def post(self, data, campaign_id: int):
        """A committee member's vote (abstaining needs a reason)."""
        campaign = services.committee_campaign(current_user, campaign_id)
        vote = services.cast_vote(
            current_user, campaign, data["dossier_id"], data["choice"], data.get("reason")
        )
        return {"id": vote.id, "status": vote.choice.value}
