"""One function per use case; each takes a unit of work and commits once."""
