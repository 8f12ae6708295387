from flask.views import MethodView
from flask_login import current_user

from lms.certificates import schemas, services
from lms.core.apiutil import api_blueprint, page_of, paginated
from lms.extensions import db

blp = api_blueprint("certificates-api", __name__, "Certificates: the caller's, or in scope.")
public = api_blueprint(
    "certificates-verify-api", __name__, "Public certificate verification.", public=True
)


@blp.route("/certificates")
class Certificates(MethodView):
    @blp.arguments(schemas.CertificateQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CertificateSchema))
    def get(self, args):
        """The caller's certificates; ``all=true`` (officers) every one in their scope."""
        stmt = services.certificates_query(current_user, mine=not args["all"], q=args.get("q"))
        return paginated(stmt, args)


@blp.route("/certificates/<int:certificate_id>")
class CertificateItem(MethodView):
    @blp.response(200, schemas.CertificateSchema)
    def get(self, certificate_id):
        """One certificate (holder, or officers in scope)."""
        return services.get_certificate(current_user, certificate_id)


@blp.route("/certificates/<int:certificate_id>/revoke")
class Revoke(MethodView):
    @blp.arguments(schemas.RevokeSchema)
    @blp.response(200, schemas.CertificateSchema)
    def post(self, args, certificate_id):
        """Revoke a certificate with a reason (officers in scope; audited)."""
        cert = services.revoke(current_user, certificate_id, args["reason"])
        db.session.commit()
        return cert


@blp.route("/certificates/batches")
class Batches(MethodView):
    @blp.arguments(schemas.BatchCreateSchema)
    @blp.response(202, schemas.BatchProgressSchema)
    def post(self, args):
        """Issue certificates to many people (employee numbers or mobiles); officers in scope.

        Work happens on the ``pdf`` queue; poll ``/certificates/batches/{id}`` for progress.
        """
        batch = services.create_batch(current_user, **args)
        db.session.commit()
        return services.batch_progress(batch)


@blp.route("/certificates/batches/<int:batch_id>")
class Batch(MethodView):
    @blp.response(200, schemas.BatchProgressSchema)
    def get(self, batch_id):
        """Progress of a bulk issue."""
        return services.batch_progress(services.get_batch(current_user, batch_id))


@public.route("/verify/<code>")
class Verify(MethodView):
    @public.response(200, schemas.VerificationSchema)
    def get(self, code):
        """Public: is this certificate valid? (the holder's name is partly masked)"""
        return services.verify(code)
