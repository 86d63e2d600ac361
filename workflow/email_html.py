"""The HTML alternative of a notification e-mail: escaped paragraphs, the way the plain
text says it. A renderer, like ``workflow.editions``: the services build no markup."""

from __future__ import annotations

from html import escape


def notification_html(hello: str, message: str, details: str, url: str, choose: str,
                      account: str, open_it: str = "Open it in the desk", lang: str = "en",
                      direction: str = "ltr") -> str:
    """The e-mail's HTML body in the reader's language and direction; all text escaped."""
    paragraphs = [escape(hello), escape(message)]
    paragraphs += [escape(details).replace("\n", "<br>")] if details else []
    paragraphs += [f'<a href="{escape(url)}">{escape(open_it)}</a>'] if url else []
    paragraphs.append(f'{escape(choose)} <a href="{escape(account)}">{escape(account)}</a>')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="{escape(lang)}" dir="{escape(direction)}"><body>'
            f"{body}</body></html>")
