"""Publishing and delivery: `toolkit brief`, `archive` and `send`."""

from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import QuietOption, app, command, warn


@command(app, "brief")
def brief_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder holding articles/*.json.")],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Date in the title [default: the folder name, else today].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """(Re)build digest.md, digest.html and feed.xml from OUT_DIR/articles/*.json alone.

    No model is needed: a reader-facing fix is published without re-translating.
    """
    from toolkit.publish import publish_digest

    result = publish_digest(out_dir, date)
    for reason in result.failures.values():
        typer.echo(f"toolkit: error: {reason}", err=True)
    typer.echo(f"digest of {result.articles} article(s): {out_dir / 'digest.html'}")
    if result.failures:
        raise typer.Exit(1)


@command(app, "archive")
def archive_command(
    outputs: Annotated[Path, typer.Argument(help="Root of the dated output folders.")] = Path(
        "outputs"
    ),
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Rebuild archive.sqlite from scratch.")
    ] = False,
) -> None:
    """(Re)build OUTPUTS/index.html (every day, newest first), OUTPUTS/feed.xml and
    OUTPUTS/archive.sqlite.

    feed.xml is one Atom feed over the last 30 days, with ids that stay the same across
    rebuilds: the one URL readers subscribe to. archive.sqlite (docs/archive.md) is a cache
    of the day folders: the days that changed are rewritten (--rebuild: all of them), an
    unusable one is set aside and rebuilt. `toolkit nightly` runs this after each run.
    """
    from toolkit.archive import update_archive
    from toolkit.errors import ConfigError
    from toolkit.publish import publish_archive

    if not outputs.is_dir():
        raise ConfigError(f"{outputs}: no such folder (the root of the dated output folders)")
    result = publish_archive(outputs)
    database = update_archive(outputs, warn, rebuild=rebuild)
    failures = result.failures | database.failures
    for reason in failures.values():
        typer.echo(f"toolkit: error: {reason}", err=True)
    typer.echo(
        f"archive of {result.days} day(s), {result.entries} feed entries: {outputs / 'index.html'}"
    )
    typer.echo(
        f"archive.sqlite: {len(database.written)} day(s) written, {len(database.removed)} removed"
    )
    if failures:
        raise typer.Exit(1)


@command(app, "send")
def send_command(
    day_dir: Annotated[Path, typer.Argument(help="The day folder (outputs/<date>) to send.")],
    to: Annotated[
        Path | None,
        typer.Option(
            "--to",
            help="Recipients file: one address per line (`Name <a@b>` works), # for comments.",
            metavar="RECIPIENTS",
        ),
    ] = None,
    readers: Annotated[
        Path | None,
        typer.Option(
            "--readers",
            help="readers.toml instead of --to: each reader gets their own message, their "
            "alerts first ([ALERT] subject); only_watched readers only what their rules match.",
            metavar="READERS.toml",
        ),
    ] = None,
    smtp: Annotated[
        str,
        typer.Option(
            "--smtp",
            envvar="TOOLKIT_SMTP",
            help="SMTP server HOST:PORT (default: $TOOLKIT_SMTP, else localhost:25).",
            show_default=False,
            metavar="HOST:PORT",
        ),
    ] = "localhost:25",
    sender: Annotated[
        str | None,
        typer.Option(
            "--from",
            envvar="TOOLKIT_MAIL_FROM",
            help="From address (default: $TOOLKIT_MAIL_FROM, else toolkit@<this host>).",
            show_default=False,
            metavar="ADDR",
        ),
    ] = None,
    starttls: Annotated[
        bool, typer.Option("--starttls", help="Upgrade to TLS with STARTTLS (port 587).")
    ] = False,
    use_ssl: Annotated[bool, typer.Option("--ssl", help="TLS from the start (port 465).")] = False,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            envvar="TOOLKIT_SMTP_USER",
            help="Log in as NAME (needs --starttls or --ssl); the password is read from "
            "$TOOLKIT_SMTP_PASSWORD only.",
            show_default=False,
            metavar="NAME",
        ),
    ] = None,
    cafile: Annotated[
        Path | None,
        typer.Option(
            "--cafile",
            envvar="TOOLKIT_SMTP_CAFILE",
            help="Trust this CA certificate (PEM) for the server instead of the system's "
            "(default: $TOOLKIT_SMTP_CAFILE). Certificates are always verified.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Send nothing: write one .eml per recipient to -o (outside the outputs folder).",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="With --dry-run: the folder for the .eml files."),
    ] = None,
    resend: Annotated[
        bool, typer.Option("--resend", help="Send again to recipients already sent to.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """E-mail the day's briefing: one multipart message (plain text + HTML) per recipient.

    Sent once: DAY_DIR/sent.json records each recipient (as a keyed hash of the address,
    never the address: key in $TOOLKIT_SEND_KEY, else ~/.config/toolkit/send.key),
    Message-ID, time and the server's reply, and a second send for the day sends nothing
    (--resend forces it). A recipient the server refuses is named and the others are sent
    (exit 1); an unreachable server is exit 2 with nothing marked as sent; a temporary 4xx
    is retried a few times with backoff.
    With --readers each reader's message opens with their alerts (see docs/alerts.md).
    """
    import socket

    from toolkit.deliver import (
        Security,
        SmtpSettings,
        default_sender,
        parse_address,
        parse_server,
        send_briefing,
        write_eml,
    )
    from toolkit.errors import ConfigError
    from toolkit.state.settings import setting

    if (to is None) == (readers is None):
        raise ConfigError("give one of --to RECIPIENTS or --readers READERS.toml")
    if starttls and use_ssl:
        raise ConfigError("--starttls and --ssl exclude each other: choose one")
    if dry_run != (output is not None):
        raise ConfigError("--dry-run and -o DIR go together: --dry-run -o DIR writes .eml files")
    if not day_dir.is_dir():
        raise ConfigError(f"{day_dir}: no such day folder")
    from_address = parse_address(sender) if sender else default_sender(socket.gethostname())
    if from_address is None:
        raise ConfigError(f"--from {sender!r} is not an e-mail address")
    if dry_run:
        written = write_eml(day_dir, to, from_address, output, readers)
        typer.echo(f"dry run: wrote {len(written)} message(s) to {output}, sent nothing")
        return
    security = Security.starttls if starttls else Security.ssl if use_ssl else Security.none
    host, port = parse_server(smtp, security)
    password = setting("TOOLKIT_SMTP_PASSWORD")
    if user and security is Security.none:
        raise ConfigError("--user sends a password: add --starttls or --ssl")
    if user and not password:
        raise ConfigError(f"--user {user}: set the password in $TOOLKIT_SMTP_PASSWORD")
    if cafile is not None and not cafile.is_file():
        raise ConfigError(f"--cafile {cafile}: no such file")
    settings = SmtpSettings(host, port, security, user, password if user else None, cafile)
    log = None if quiet else (lambda line: typer.echo(f"toolkit: {line}", err=True))
    report = send_briefing(
        day_dir, to, from_address, settings, resend=resend, log=log, readers=readers
    )

    if report.already:
        typer.echo(f"already sent to {len(report.already)} (see {report.record}); --resend forces")
        if report.rebuilt_since:
            warn("digest.md was rebuilt after it was sent: --resend sends the new version")
    for address, delivery in report.refused.items():
        typer.echo(
            f"toolkit: error: {address}: refused by the server: {delivery.reply}",
            err=True,
        )
    if report.quiet:
        names = ", ".join(report.quiet)
        typer.echo(f"not sent to {names}: nothing matched their rules (recorded)")
    if report.unsent:  # the server was lost, or too slow: one reason for all the rest
        first, reason = next(iter(report.unsent.items()))
        typer.echo(
            f"toolkit: error: {reason}: not sent to {len(report.unsent)} recipient(s) "
            f"(from {first} on); the next send sends them",
            err=True,
        )
    typer.echo(
        f"sent {len(report.sent)} of {report.recipients}: {report.briefing.subject}"
        + (f" → {report.record}" if report.sent else "")
    )
    if report.refused or report.unsent:
        raise typer.Exit(1)
