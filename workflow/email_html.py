"""The HTML alternative of a notification e-mail: escaped paragraphs, the way the plain
text says it. A renderer, like ``workflow.editions``: the services build no markup."""

from __future__ import annotations

from html import escape


def notification_html(hello: str, message: str, details: str, url: str, choose: str,
                      account: str) -> str:
    """The e-mail's HTML body; every piece of text is escaped."""
    paragraphs = [escape(hello), escape(message)]
    paragraphs += [escape(details).replace("\n", "<br>")] if details else []
    paragraphs += [f'<a href="{escape(url)}">Open it in the desk</a>'] if url else []
    paragraphs.append(f'{escape(choose)} <a href="{escape(account)}">{escape(account)}</a>')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<!doctype html><html><body>{body}</body></html>"
