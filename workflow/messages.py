"""The words of notifications and e-mails, each a function of its reader (``Reader``).

One home for them, so ``babel.cfg`` reads this module into the desk's catalogues: every
text is a ``gettext``/``ngettext`` call with named ``%(placeholders)s`` that the
translations keep. Dates stay in ISO form (the same in every language).
"""

from __future__ import annotations

from datetime import datetime

from workflow.i18n import Reader


def assigned(r: Reader, actor: str, language: str, title: str,
             due: datetime | None) -> str:
    values = {"actor": actor, "language": r.language(language), "title": title}
    if due is None:
        return r.gettext("%(actor)s assigned you the %(language)s translation of "
                         "“%(title)s”") % values
    return r.gettext("%(actor)s assigned you the %(language)s translation of “%(title)s”,"
                     " due %(date)s") % dict(values, date=f"{due:%Y-%m-%d}")


def sent_back(r: Reader, actor: str, language: str, title: str) -> str:
    return r.gettext("%(actor)s sent the %(language)s translation of “%(title)s” back to "
                     "you") % {"actor": actor, "language": r.language(language), "title": title}


def their_note(r: Reader, note: str) -> str:
    return r.gettext("Their note: %(note)s") % {"note": note}


def mentioned(r: Reader, actor: str, language: str, title: str) -> str:
    return r.gettext("%(actor)s mentioned you on the %(language)s translation of "
                     "“%(title)s”") % {"actor": actor, "language": r.language(language),
                                       "title": title}


def published(r: Reader, language: str, title: str, edition: int) -> str:
    return r.gettext("Your %(language)s translation of “%(title)s” is published "
                     "(edition %(edition)s)") % {"language": r.language(language),
                                                 "title": title, "edition": edition}


def due_soon(r: Reader, language: str, title: str, when: datetime) -> str:
    return r.gettext("Due %(when)s UTC: the %(language)s translation of “%(title)s”") % {
        "when": f"{when:%Y-%m-%d %H:%M}", "language": r.language(language), "title": title}


def overdue(r: Reader, language: str, title: str, when: datetime) -> str:
    return r.gettext("Overdue since %(when)s UTC: the %(language)s translation of "
                     "“%(title)s”") % {"when": f"{when:%Y-%m-%d %H:%M}",
                                       "language": r.language(language), "title": title}


def waiting(r: Reader, count: int) -> str:
    return r.ngettext("%(num)d draft in your languages waits for a reviewer",
                      "%(num)d drafts in your languages wait for a reviewer",
                      count) % {"num": count}


def waiting_lines(r: Reader, drafts: list[tuple[str, str]]) -> str:
    """One line a draft: its language, named for the reader, and its title."""
    return "\n".join(f"- {r.language(code)}: {title}" for code, title in drafts)


def hello(r: Reader, name: str) -> str:
    return r.gettext("Hello %(name)s,") % {"name": name}


def open_in_desk(r: Reader) -> str:
    return r.gettext("Open it in the desk")


def choose_kinds(r: Reader) -> str:
    return r.gettext("You can choose which notifications arrive by e-mail on your "
                     "account page:")


def subject(r: Reader, message: str) -> str:
    return r.gettext("[Linguadesk] %(message)s") % {"message": message}


def invitation_subject(r: Reader) -> str:
    return r.gettext("You are invited to the Linguadesk translation desk")


def invitation_body(r: Reader, name: str, actor: str, roles: list[str],
                    languages: list[str], days: int, url: str) -> str:
    role_names = ", ".join(role_name(r, role) for role in roles)
    values = {"actor": actor, "roles": role_names,
              "languages": ", ".join(r.language(code) for code in languages)}
    invited = (r.gettext("%(actor)s invited you to the Linguadesk translation desk as "
                         "%(roles)s for %(languages)s.") if languages else
               r.gettext("%(actor)s invited you to the Linguadesk translation desk as "
                         "%(roles)s.")) % values
    choose = r.ngettext("Choose your password here (the link works once, for %(num)d day):",
                        "Choose your password here (the link works once, for %(num)d days):",
                        days) % {"num": days}
    return f"{hello(r, name)}\n\n{invited}\n\n{choose}\n{url}\n"


def role_name(r: Reader, role: str) -> str:
    names = {"editor": r.gettext("editor"), "reviewer": r.gettext("reviewer"),
             "publisher": r.gettext("publisher"), "admin": r.gettext("admin")}
    return names.get(role, role)


def reset_subject(r: Reader) -> str:
    return r.gettext("Choose a new password for Linguadesk")


def reset_body(r: Reader, name: str, hours: int, url: str) -> str:
    asked = r.ngettext("An admin asked for your Linguadesk password to be reset. Choose a new "
                       "one here (the link works once, for %(num)d hour):",
                       "An admin asked for your Linguadesk password to be reset. Choose a new "
                       "one here (the link works once, for %(num)d hours):",
                       hours) % {"num": hours}
    unexpected = r.gettext("If you did not expect this, tell your admin.")
    return f"{hello(r, name)}\n\n{asked}\n{url}\n\n{unexpected}\n"
