"""The ``linguadesk`` command: users, tokens, migrations, engines and models."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from workflow.db import Database
from workflow.errors import DomainError
from workflow.uow import UnitOfWork


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@click.group()
def main() -> None:
    """Linguadesk, a translation desk for multilingual newsrooms."""


@main.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema (DATABASE_URL, SQLite under instance/ by default)."""
    database = Database()
    database.migrate()
    click.echo(f"database ready: {database.engine.url.render_as_string(hide_password=True)}")


@main.group()
def users() -> None:
    """People on the desk."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--role", "roles", required=True,
              help="editor, reviewer, publisher or admin; several separated by commas")
@click.option("--languages", default="", help="languages a reviewer reviews, e.g. es,fr")
@click.option("--password-stdin", is_flag=True,
              help="read the password (at least 8 characters) from the first line of standard "
                   "input; generated and printed if omitted")
@click.option("--name", default="")
@click.option("--if-missing", is_flag=True, help="do nothing if the user already exists")
def users_create(email: str, roles: str, languages: str, password_stdin: bool, name: str,
                 if_missing: bool) -> None:
    """Create a user.

    The password never travels on the command line, where every user of the machine can
    read it (ps, /proc): pipe it in with --password-stdin, or let one be generated.
    """
    from workflow.services.users import create_user, user_with_email

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    with UnitOfWork(Database()) as uow:
        if if_missing and user_with_email(uow, email) is not None:
            click.echo(f"user {email} already exists")
            return
        try:
            user = create_user(uow, email, password, _split(roles), _split(languages), name)
        except DomainError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)
    click.echo(f"created {user.email} ({', '.join(sorted(user.roles))})")
    if generated:
        click.echo(f"password: {password}")


def _set_active(email: str, active: bool) -> None:
    from workflow.services.users import set_active

    with UnitOfWork(Database()) as uow:
        try:
            user = set_active(uow, email, active)
        except DomainError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)
    click.echo(f"{user.email} is {'active' if active else 'deactivated; every session ended'}")


@users.command("deactivate")
@click.option("--email", required=True)
def users_deactivate(email: str) -> None:
    """Stop a user signing in or using the API; their sessions end at once."""
    _set_active(email, False)


@users.command("activate")
@click.option("--email", required=True)
def users_activate(email: str) -> None:
    """Let a deactivated user sign in again (old sessions stay ended)."""
    _set_active(email, True)


@main.group()
def tokens() -> None:
    """Personal API tokens."""


@tokens.command("create")
@click.option("--email", required=True)
@click.option("--name", default="", help="what the token is for")
@click.option("--expires-in", default=None, help="e.g. 90d, 12h or 2w (default: never)")
@click.option("--read-only", is_flag=True, help="the token can read but change nothing")
def tokens_create(email: str, name: str, expires_in: str | None, read_only: bool) -> None:
    """Create an API token for a user and print it (it is shown only once)."""
    from workflow.services.tokens import create_token, parse_duration

    with UnitOfWork(Database()) as uow:
        try:
            expires = parse_duration(expires_in) if expires_in else None
            click.echo(create_token(uow, email, name, expires, read_only))
        except DomainError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "never"  # type: ignore[attr-defined]


@tokens.command("list")
@click.option("--email", required=True)
def tokens_list(email: str) -> None:
    """One line per token of a user: id, name, scope, created, expires, last used, state."""
    from workflow.models import utcnow
    from workflow.services.tokens import tokens_for_email

    with UnitOfWork(Database()) as uow:
        try:
            rows = tokens_for_email(uow, email)
        except DomainError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)
        now = utcnow()
        if not rows:
            click.echo(f"{email} has no tokens")
        for t in rows:
            state = "revoked" if t.revoked_at else "active" if t.usable(now) else "expired"
            click.echo(f"{t.id}\t{t.name or '-'}\t{'read-only' if t.read_only else 'read-write'}"
                       f"\tcreated {_when(t.created_at)}\texpires {_when(t.expires_at)}"
                       f"\tlast used {_when(t.last_used_at)}\t{state}")


@tokens.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke a token at once (its id from `linguadesk tokens list`)."""
    from workflow.services.tokens import revoke_token

    with UnitOfWork(Database()) as uow:
        try:
            row = revoke_token(uow, token_id)
        except DomainError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)
        click.echo(f"revoked token {row.id} of {row.user.email}")


@main.group()
def models() -> None:
    """Machine-translation models."""


@models.command("build-demo")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="where to put the models (LINGUADESK_MODELS_DIR by default)")
def models_build_demo(out: Path | None) -> None:
    """Train the tiny en→es and en→fr demo models (a few seconds each)."""
    from workers.demo_model import build_all
    from workflow.settings import load

    for path in build_all(out or load().models_dir):
        click.echo(f"model ready: {path}")


def _pairs(values: tuple[str, ...], param: str = "--pair") -> tuple[tuple[str, str], ...]:
    bad = [v for v in values if len(v.split("-")) != 2 or not all(v.split("-"))]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: write a pair as SRC-TGT, e.g. en-es",
                                 param_hint=param)
    return tuple((v.split("-")[0].lower(), v.split("-")[1].lower()) for v in values)


_pair_option = click.option("--pair", "pairs", multiple=True,
                            help="SRC-TGT the model translates, when its files do not say "
                                 "(repeatable)")
_token_option = click.option("--target-token", default=None,
                             help="for a multi-target opus-mt model: the token that picks the "
                                  "output language, e.g. '>>por<<'")
_name_option = click.option("--name", default=None,
                            help="directory name under LINGUADESK_MODELS_DIR")


@models.command("pull")
@click.argument("spec")
@click.option("--revision", default=None, help="a branch, tag or commit (default: main)")
@_name_option
@_pair_option
@_token_option
def models_pull(spec: str, revision: str | None, name: str | None, pairs: tuple[str, ...],
                target_token: str | None) -> None:
    """Download a model, check it translates, convert it for CTranslate2 and install it.

    SPEC is a hub id (Helsinki-NLP/opus-mt-en-de), a pair from the catalogue (en-zh) or
    nllb. HF_ENDPOINT, HF_TOKEN and HF_HUB_OFFLINE are honoured; run it again to resume.
    """
    from workers import model_store
    from workflow.settings import load

    try:
        model_store.pull(spec, load(), revision=revision, name=name, pairs=_pairs(pairs),
                         target_token=target_token, say=click.echo)
    except model_store.InstallError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@models.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@_name_option
@_pair_option
@_token_option
@click.option("--hub-id", default=None, help="where the model came from, for the record")
def models_import(path: Path, name: str | None, pairs: tuple[str, ...],
                  target_token: str | None, hub_id: str | None) -> None:
    """Install a model directory or tarball copied to this machine (no network needed)."""
    from workers import model_store
    from workflow.settings import load

    try:
        model_store.import_model(path, load(), name=name, pairs=_pairs(pairs),
                                 target_token=target_token, hub_id=hub_id, say=click.echo)
    except model_store.InstallError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@models.command("list")
def models_list() -> None:
    """One line per installed model: name, hub id, pairs, size, engines."""
    from workers import model_store
    from workflow.settings import load

    settings = load()
    found = model_store.installed(settings)
    if not found:
        click.echo(f"no models in {settings.models_dir}: `linguadesk models pull en-es` "
                   "fetches one, `linguadesk models build-demo` builds the demo ones")
    for item in found:
        click.echo(model_store.summary(item))


@models.command("remove")
@click.argument("name")
def models_remove(name: str) -> None:
    """Delete an installed model and its CTranslate2 copy."""
    from workers import model_store
    from workflow.settings import load

    try:
        removed = model_store.remove(name, load())
    except model_store.InstallError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for path in removed:
        click.echo(f"removed {path}")


@models.command("catalogue")
def models_catalogue() -> None:
    """The model `linguadesk models pull SRC-TGT` installs for each pair."""
    from workers.model_catalogue import entries

    for spec, entry in entries():
        token = f"  (with {entry.target_token})" if entry.target_token else ""
        note = f"  {entry.note}" if entry.note else ""
        click.echo(f"{spec:6} {entry.hub_id}{token}{note}")
    click.echo("any other pair of NLLB-200's languages: facebook/nllb-200-distilled-600M")


@main.command("engines")
@click.option("--pair", "pairs", multiple=True, help="SRC-TGT to explain, e.g. en-es (repeatable)")
@click.option("--from", "source", default=None,
              help="a source language: say, for every other language, what will translate it")
def engines(pairs: tuple[str, ...], source: str | None) -> None:
    """Every language pair this machine can translate, and how (direct or through a chain)."""
    from workers.routing import explain, offers
    from workflow.languages import LANGUAGES
    from workflow.learned_routing import EngineRecord
    from workflow.quality import records_for
    from workflow.settings import load

    settings = load()
    if source is not None and source not in LANGUAGES:
        raise click.BadParameter(f"{source}: use one of {', '.join(LANGUAGES)}",
                                 param_hint="--from")
    def records_of(src: str, tgt: str, keys: Sequence[str], window: int) -> list[EngineRecord]:
        with Database().session() as session:
            return records_for(session, src, tgt, keys, window)

    for src, tgt in _pairs(pairs):
        click.echo(f"{src}→{tgt}")
        for line in explain(src, tgt, settings, records_of):
            click.echo(line)
    if pairs:
        return
    if source is not None:
        for o in offers(settings, [source]):
            click.echo(f"  {o.target}  {LANGUAGES[o.target].english_name:<11} {o.words}")
        return
    served = [o for o in offers(settings) if o.how]
    click.echo(f"{len(served)} language pairs can be translated here "
               f"(models in {settings.models_dir}, Apertium pairs installed):")
    for o in served:
        click.echo(f"  {o.source}→{o.target}  {'chain ' if o.chained else 'direct'}  {o.how}")
    click.echo("Every other pair: no engine; a reviewer translates from the source "
               "(`linguadesk engines --pair SRC-TGT` says why).")


@main.command("reconcile")
def reconcile_once() -> None:
    """Enqueue again every job that is stuck (what the beat schedule does periodically)."""
    from workers.queue import enqueue_translations
    from workflow.services.jobs import requeue_stale
    from workflow.settings import load

    with UnitOfWork(Database(), dispatch=enqueue_translations) as uow:
        ids = requeue_stale(uow, load().requeue_after)
    click.echo(f"re-enqueued {len(ids)} translation(s)")


@main.command("settings")
def show_settings() -> None:
    """The settings this desk reads from its environment, as JSON (the secret key hidden)."""
    import dataclasses
    import json

    from workflow.settings import load

    values = dataclasses.asdict(load())
    values["secret_key"] = "(set)" if values["secret_key"] else None
    click.echo(json.dumps(values, default=str, indent=2, sort_keys=True))
