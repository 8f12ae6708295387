"""Celery entry point: ``celery -A celery_worker worker -B``."""

from lms import create_app

celery = create_app().extensions["celery"]
