"""Parsing XML that someone uploaded: no DTD, no entities, no network, a size limit."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from workflow.errors import TooLarge, Unprocessable

MAX_BYTES = 20 * 1024 * 1024


def parse(data: bytes, what: str, max_bytes: int = MAX_BYTES) -> Element:
    """The root element of ``data``, or an error that says what is wrong with the file.

    Any DOCTYPE is refused, so external entities (XXE) and entity expansion
    ("billion laughs") never happen.
    """
    if len(data) > max_bytes:
        raise TooLarge(f"The {what} file is {len(data):,} bytes; the limit is {max_bytes:,}.",
                       limit=max_bytes)
    if not data.strip():
        raise Unprocessable(f"The {what} file is empty: send the file as the request body.")
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Unprocessable(f"The {what} file declares a DTD or entities, which are not "
                           f"accepted ({type(exc).__name__}); export it again without a "
                           "DOCTYPE.") from exc
    except ParseError as exc:
        raise Unprocessable(f"The {what} file is not well-formed XML: {exc}.") from exc


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]
