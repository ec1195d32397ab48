"""`backcoach audio build`: render the audio set the catalogue needs (gTTS, or espeak-ng offline)."""
from __future__ import annotations

from pathlib import Path

import click

from skill.coach.speech import Segment


def load_recipes() -> tuple[Segment, ...]:
    """Every count, countdown and count-in the coaching engine can ask for."""
    from skill.coach.catalog import load_catalog

    return load_catalog().audio_recipes()


@click.group("audio")
def audio() -> None:
    """Build the pre-rendered count and countdown tracks."""


@audio.command("build")
@click.option("--engine", "engine_name", type=click.Choice(["gtts", "espeak"]), default="gtts",
              show_default=True, help="gtts needs the internet; espeak (espeak-ng) works offline.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("audio"),
              show_default=True, help="Folder for the MP3 files and manifest.json.")
@click.option("--force", is_flag=True, help="Render every track again, even unchanged ones.")
def build(engine_name: str, out_dir: Path, force: bool) -> None:
    """Render the tracks that changed, write the manifest, remove stale files."""
    # Imported here so `backcoach --help` does not load the codecs and HTTP stack.
    from skill.audio.build import build_audio_set
    from skill.audio.compose import CompositionError
    from skill.audio.engines import EngineUnavailable, SynthesisError, make_engine

    try:
        engine = make_engine(engine_name)
    except EngineUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        result = build_audio_set(out_dir, engine, load_recipes(), force=force,
                                 progress=lambda message: click.echo(f"  {message}", err=True))
    except SynthesisError as exc:
        raise click.ClickException(f"{exc}. Nothing was changed in {out_dir}/.") from exc
    except EngineUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    except CompositionError as exc:
        raise click.ClickException(f"cannot lay out a track: {exc}") from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write to {out_dir}/: {exc.strerror or exc}") from exc
    count = len(result.audio_set.files)
    click.echo(f"{count} tracks in {out_dir}/ ({result.total_bytes / 1e6:.1f} MB, {engine_name}): "
               f"{len(result.built)} built, {len(result.kept)} unchanged, {len(result.removed)} removed.")
