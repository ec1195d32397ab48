"""The `backcoach` command: serve, try, audio, package, backup, restore."""
from __future__ import annotations

import ipaddress
import os
import sqlite3
import sys
from pathlib import Path

import click

from skill.audio.cli import audio
from skill.audio.manifest import ManifestError
from skill.coach.catalog import CatalogError
from skill.config import ConfigError, Settings
from skill.console.cli import try_command
from skill.web.serve import WORKER_CONNECTIONS


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _data_dir(option: Path | None) -> Path:
    """--data-dir, else BACKCOACH_DATA_DIR, else the default: where `serve` keeps the store."""
    return option or Path(os.environ.get("BACKCOACH_DATA_DIR") or Settings.data_dir)


_DATA_DIR_OPTION = click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                                help="Where progress is stored (default ./data, or BACKCOACH_DATA_DIR).")


@click.group()
def main() -> None:
    """Back Coach: a voice coach for a runner's back routine."""


@main.command()
@click.option("--host", default=None, help="Address to bind (default 0.0.0.0; 127.0.0.1 with --dev).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--connections", default=WORKER_CONNECTIONS, show_default=True, type=click.IntRange(10, 100_000),
              help="Open connections per worker, idle ones included.")
@_DATA_DIR_OPTION
@click.option("--certfile", type=click.Path(exists=True, dir_okay=False), default=None, help="TLS certificate (PEM).")
@click.option("--keyfile", type=click.Path(exists=True, dir_okay=False), default=None, help="TLS private key (PEM).")
@click.option("--dev", is_flag=True, help="No request verification; loopback only. For trying it out.")
def serve(host, port, workers, connections, data_dir, certfile, keyfile, dev) -> None:
    """Serve the skill's HTTPS endpoint (POST /alexa) with gunicorn (gevent worker)."""
    from skill.web.serve import serve as run

    if bool(certfile) != bool(keyfile):
        raise click.UsageError("--certfile and --keyfile go together")
    flags = {"dev": True} if dev else {}
    if data_dir is not None:
        flags["data_dir"] = data_dir
    try:
        settings = Settings.from_env(**flags)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    settings = _preflight(settings)
    if settings.dev:
        host = host or "127.0.0.1"
        if not _loopback(host):
            raise click.UsageError(f"--dev serves unverified requests, so it binds to loopback only, not {host}")
        click.secho("DEV MODE: requests are NOT verified (signature, timestamp, skill ID). Loopback only.",
                    fg="yellow", err=True)
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"Talk to it:  {sys.argv[0]} try --url http://{shown}:{port}/alexa", err=True)
        click.echo("Go live:     set BACKCOACH_SKILL_IDS=amzn1.ask.skill.<your-id> and serve behind HTTPS "
                   "(see README, 'Connect a real Alexa skill')", err=True)
    run(settings, host=host or "0.0.0.0", port=port, workers=workers, connections=connections,
        certfile=certfile, keyfile=keyfile)


def _preflight(settings: Settings) -> Settings:
    """Build the app once before gunicorn forks: a broken trust-roots file, audio set, catalogue or
    store (an unreachable DynamoDB table; a full disk, read-only directory or a lock held elsewhere) is a
    one-line error here rather than a traceback from every worker. Returns the workers' settings: the
    SQLite file opened here is the one they all write."""
    from skill.alexa.store import SQLiteStore
    from skill.web.app import create_app

    try:
        store = create_app(settings).extensions["backcoach.store"]
        store.ping()  # the health check's real write
    except (ConfigError, ManifestError, CatalogError, RuntimeError, OSError, sqlite3.Error) as exc:
        raise click.ClickException(str(exc)) from None
    file_id = None
    if isinstance(store, SQLiteStore):
        file_id = store.file_id
        store.close()  # workers must not inherit its connection across fork
    return settings.with_(store_file=file_id)


@main.command()
@click.argument("dest", type=click.Path(path_type=Path))
@_DATA_DIR_OPTION
def backup(dest: Path, data_dir: Path | None) -> None:
    """Copy the store to DEST (a new file, or a directory for a dated file), safely while serving."""
    from skill.alexa.sqlite_backup import BackupError, backup as copy

    try:
        done = copy(_data_dir(data_dir), dest)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up {done.people} people's progress to {done.path}")


@main.command()
@click.argument("src", type=click.Path(path_type=Path))
@_DATA_DIR_OPTION
def restore(src: Path, data_dir: Path | None) -> None:
    """Replace the store with the backup SRC (stop the server first; the old store is kept)."""
    from skill.alexa.sqlite_backup import BackupError, restore as copy

    try:
        done = copy(_data_dir(data_dir), src)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    kept = f"; the store it replaced is kept as {done.kept}" if done.kept else ""
    click.echo(f"Restored {done.people} people's progress from {src} into {done.path}{kept}")


@main.command()
@click.option("--endpoint", default=None, metavar="URL|ARN",
              help="Where Alexa sends requests: https://your.domain/alexa, or a Lambda function's ARN "
                   "(default: the one already in skill-package/skill.json).")
@click.option("--certificate", type=click.Choice(["Trusted", "Wildcard", "SelfSigned"]), default=None,
              help="Certificate type of an HTTPS endpoint (default Trusted; SelfSigned cannot be certified).")
@click.option("--privacy-url", default=None, metavar="URL", help="Your privacy policy's HTTPS URL.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if skill-package/ is out of date.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None, hidden=True)
def package(endpoint, certificate, privacy_url, check, root) -> None:
    """Write or refresh skill-package/ and ask-resources.json for `ask deploy`."""
    from skill.package.build import REPO, Deployment, Endpoint, PackageError, current, stale, write

    root = root or REPO
    try:
        settled = current(root)
        if endpoint is not None or certificate is not None:
            uri = endpoint or settled.endpoint.uri
            if certificate is None and not uri.startswith("arn:aws:lambda:"):
                certificate = settled.endpoint.certificate or "Trusted"
            settled = Deployment(Endpoint(uri, certificate), settled.privacy_url)
        if privacy_url is not None:
            settled = Deployment(settled.endpoint, privacy_url)
    except PackageError as exc:
        raise click.UsageError(str(exc)) from None
    if check:
        behind = stale(root, settled)
        if behind:
            raise click.ClickException("out of date: " + ", ".join(behind) + " (run backcoach package)")
        click.echo("skill-package/ is up to date")
        return
    written = write(root, settled)
    for name in written:
        click.echo(f"wrote {name}")
    if not written:
        click.echo("skill-package/ is up to date")


main.add_command(audio)
main.add_command(try_command)

if __name__ == "__main__":
    sys.exit(main())
