"""Extension objects, created unbound and bound to the app in ``create_app``."""

from decimal import Decimal

from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from marshmallow import fields

from lms.db import Base
from lms.errors import ErrorResponsesPlugin, ErrorSchema


class DocumentedApi(Api):
    """flask-smorest's Api, with the platform's error schema in the OpenAPI document."""

    ERROR_SCHEMA = ErrorSchema


def decimal_as_string(self, field, ret, **kwargs) -> dict:
    """OpenAPI attributes of a ``fields.Decimal``. With ``as_string=True`` the answer is a string
    such as "1200.00" (exact money), so the document says so instead of apispec's "number". Its
    bounds from ``validate.Range`` stay JSON numbers: apispec writes them as the field would
    serialize them (a Decimal or a string), and a bound that is a string makes the document
    invalid."""
    if not isinstance(field, fields.Decimal):
        return {}
    bounds = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
    attributes = {key: float(ret[key]) for key in bounds if isinstance(ret.get(key), Decimal | str)}
    if field.as_string:
        attributes.update({"type": "string", "format": "decimal"})
    return attributes


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = DocumentedApi(spec_kwargs={"extra_plugins": [ErrorResponsesPlugin()]})
cache = Cache()
