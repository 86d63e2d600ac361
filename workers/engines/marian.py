"""MarianMT (opus-mt) through transformers: the transformers engine under its older name."""

from workers.engines.transformers_engine import TransformersEngine as MarianEngine

__all__ = ["MarianEngine"]
