"""Linguadesk's domain: articles, translations, review and publishing.

Imports no Flask, Celery or transformers; the web, the workers and the CLI call in.
"""
