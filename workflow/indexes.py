"""Indexes the busiest pages need, kept beside the tables they serve."""

from __future__ import annotations

from sqlalchemy import Index

from workflow.models import Article

# The dashboard lists articles newest first, one page at a time.
ix_articles_created_at = Index("ix_articles_created_at", Article.__table__.c.created_at)
