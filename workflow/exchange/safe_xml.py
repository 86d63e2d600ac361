"""Parsing XML that someone uploaded: no DTD, no entities, no network, a size limit."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from workflow.errors import N_, TooLarge, Unprocessable

MAX_BYTES = 20 * 1024 * 1024


def parse(data: bytes, what: str, max_bytes: int = MAX_BYTES) -> Element:
    """The root element of ``data``, or an error that says what is wrong with the file.

    Any DOCTYPE is refused, so external entities (XXE) and entity expansion
    ("billion laughs") never happen.
    """
    if len(data) > max_bytes:
        raise TooLarge(N_("The %(what)s file is %(size)s bytes; the limit is %(limit)s."),
                       values={"what": what, "size": f"{len(data):,}", "limit": f"{max_bytes:,}"},
                       limit=max_bytes)
    if not data.strip():
        raise Unprocessable(N_("The %(what)s file is empty: send the file as the request body."),
                            values={"what": what})
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Unprocessable(N_("The %(what)s file declares a DTD or entities, which are not "
                               "accepted (%(kind)s); export it again without a DOCTYPE."),
                            values={"what": what, "kind": type(exc).__name__}) from exc
    except ParseError as exc:
        raise Unprocessable(N_("The %(what)s file is not well-formed XML: %(exc)s."),
                            values={"what": what, "exc": exc}) from exc


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]
