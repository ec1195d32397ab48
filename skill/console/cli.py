"""`backcoach try`: talk to the skill in a terminal, as you would to an Echo."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO
from urllib.parse import urlparse

import click

from skill.console.model import LOCALES

USER_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")
USER_ID_PREFIX = "amzn1.ask.account.console-"
COMMENT = "#"


def user_id(name: str) -> str:
    """Each name is its own Alexa account, so each keeps its own progress in the store."""
    return USER_ID_PREFIX + name


def _user(ctx: click.Context, param: click.Parameter, value: str) -> str:
    name = value.strip().lower()
    if not USER_NAME.fullmatch(name):
        raise click.BadParameter(f"{value!r}: use 1-40 letters, digits, '.', '_' or '-', starting with a letter "
                                 "or digit (e.g. --user anna)")
    return name


def _url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlparse(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{value!r} is not an http(s) URL; e.g. http://127.0.0.1:8000/alexa")
    try:
        parts.port
    except ValueError:
        raise click.BadParameter(f"{value!r} has an invalid port") from None
    return value


def _output_file(suffixes: tuple[str, ...], why: str):
    """A click callback for a file the command will write: the right kind, in a writable folder."""
    def check(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        if value is None:
            return None
        if value.suffix.lower() not in suffixes:
            raise click.BadParameter(f"{value} should end in {suffixes[0]} ({why})")
        folder = value.parent
        if not folder.is_dir():
            raise click.BadParameter(f"folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            raise click.BadParameter(f"folder {folder} is not writable")
        return value
    return check


_save_path = _output_file((".mp3",), "the session is saved as MP3")
_screen_path = _output_file((".html", ".htm"), "the screen is written as a web page")


def script_lines(script: TextIO) -> list[str]:
    """The utterances of a script: one per line; blank lines and # comments skipped. Read whole
    before the conversation starts, so a script that cannot be read changes nothing."""
    try:
        return [line for line in (raw.strip() for raw in script) if line and not line.startswith(COMMENT)]
    except UnicodeDecodeError:
        raise click.FileError(script.name, hint="it is not UTF-8 text") from None
    except OSError as exc:
        raise click.FileError(script.name, hint=exc.strerror or str(exc)) from None


def typed_lines() -> Iterator[str]:
    """Lines typed at the prompt; an empty line is silence. Ends on Ctrl-D or Ctrl-C."""
    try:
        import readline  # noqa: F401  (line editing and history for input(), where available)
    except ImportError:
        pass
    while True:
        try:
            yield input("You: ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return


@click.command("try")
@click.option("--script", "script", type=click.File("r", encoding="utf-8"), default=None, metavar="FILE",
              help="Replay a conversation: one utterance per line, # comments, <silence> for saying nothing.")
@click.option("--user", "user", default="me", show_default=True, callback=_user, metavar="NAME",
              help="Whose progress: each name keeps its own, in the same store as the server.")
@click.option("--url", default=None, callback=_url, metavar="URL",
              help="Send to a running `backcoach serve --dev` (e.g. http://127.0.0.1:8000/alexa) "
                   "instead of the skill in-process.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where progress is stored in-process (default BACKCOACH_DATA_DIR, else ./data).")
@click.option("--locale", type=click.Choice(LOCALES), default="en-US", show_default=True,
              help="Which interaction model understands you.")
@click.option("--realtime", is_flag=True, help="Play pauses, counts and countdowns out in real time.")
@click.option("--speak", is_flag=True, help="Say the replies aloud with a speech engine (needs an audio player).")
@click.option("--engine", "engine_name", type=click.Choice(["espeak", "gtts"]), default="espeak",
              show_default=True, help="Speech engine for --speak/--save (gtts needs the internet).")
@click.option("--save", "save", type=click.Path(dir_okay=False, path_type=Path), default=None,
              callback=_save_path, metavar="FILE.mp3", help="Write the whole session's audio to one MP3.")
@click.option("--show-requests", is_flag=True, help="Show the Alexa request each utterance became.")
@click.option("--screen", "screen", type=click.Path(dir_okay=False, path_type=Path), default=None,
              callback=_screen_path, metavar="FILE.html",
              help="Talk as an Echo Show 8 and write what its screen shows to FILE.html after each reply.")
def try_command(script: TextIO | None, user: str, url: str | None, data_dir: Path | None, locale: str,
                realtime: bool, speak: bool, engine_name: str, save: Path | None, show_requests: bool,
                screen: Path | None) -> None:
    """Talk to Back Coach in the terminal, as you would to an Echo.

    Type what you would say ("start my back routine", "ready", "yes", "it hurts"). An empty line is
    saying nothing; quit or Ctrl-D leaves.
    """
    from skill.console.speaker import SpeakError
    from skill.console.transport import Unreachable
    from skill.console.wiring import ConsoleSetupError, build_console

    if url and data_dir is not None:
        raise click.UsageError("--data-dir is for the in-process skill; the server at --url uses its own store")
    if realtime and speak:
        raise click.UsageError("--realtime and --speak don't combine: playing the audio already takes real time")
    lines = script_lines(script) if script else typed_lines()
    try:
        console = build_console(user_id=user_id(user), url=url, data_dir=data_dir, locale=locale,
                                realtime=realtime, speak=speak, engine_name=engine_name, save=save,
                                show_requests=show_requests, screen=screen)
        console.start(user, interactive=script is None)
        console.run(lines, echo=script is not None)
        console.finish()
    except (ConsoleSetupError, Unreachable, SpeakError) as exc:
        raise click.ClickException(str(exc)) from None
    failures = console.conversation.failures
    if failures:
        raise click.ClickException(f"the skill failed {failures} time{'s' if failures > 1 else ''} (see above)")
