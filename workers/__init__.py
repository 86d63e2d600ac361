"""Linguadesk's workers: the Celery app, thin tasks, the reconciler and the MT engines."""
