"""Build (or bring up to date) an audio set: one MP3 per distinct track, plus the manifest.

Everything new is rendered in memory first; only when every track has succeeded are files written,
the manifest replaced and stale files removed, so a failed build (no network, say) changes nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import miniaudio

from skill.audio.compose import COMPOSER_VERSION, ENCODING, check_fits, compose, encode_mp3
from skill.audio.engines import Engine, SynthesisError
from skill.audio.manifest import FILE_NAME, MANIFEST_NAME, AudioFile, AudioSet, ManifestError, segment_recipe
from skill.audio.pcm import DecodeError, prepare_fragment
from skill.audio.scripts import Script, script_for
from skill.coach.speech import Segment


@dataclass(frozen=True)
class BuildResult:
    audio_set: AudioSet
    built: tuple[str, ...]
    kept: tuple[str, ...]
    removed: tuple[str, ...]
    total_bytes: int


def recipe_hash(script: Script, engine_identity: dict) -> str:
    material = {"composer": COMPOSER_VERSION, "encoding": ENCODING, "engine": engine_identity,
                "script": script.describe()}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _tracks(segments: Iterable[Segment]) -> dict[Script, list[dict]]:
    """Distinct scripts -> the recipes each plays (a 30 s rest and a 30 s hold sound the same)."""
    tracks: dict[Script, list[dict]] = {}
    for segment in segments:
        recipe = segment_recipe(segment)
        if recipe is None:
            raise ValueError(f"no audio track for {segment!r}")
        script = script_for(segment)
        check_fits(script)
        recipes = tracks.setdefault(script, [])
        if recipe not in recipes:
            recipes.append(recipe)
    return tracks


def _previous(out_dir: Path) -> dict[str, AudioFile]:
    """Files from the last build that are still intact on disk, by recipe hash."""
    try:
        previous = AudioSet.load(out_dir)
    except ManifestError:
        return {}  # nothing usable: build everything
    intact = {}
    for f in previous.files:
        path = out_dir / f.name
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == f.sha256:
            intact[f.recipe_hash] = f
    return intact


def build_audio_set(out_dir: Path, engine: Engine, segments: Iterable[Segment], *, force: bool = False,
                    progress: Callable[[str], None] = lambda message: None) -> BuildResult:
    out_dir = Path(out_dir)
    tracks = _tracks(segments)
    _check_writable(out_dir)  # before any (slow, rate-limited) synthesis
    identity = engine.identity()
    previous = {} if force else _previous(out_dir)
    fragments: dict[str, array] = {}
    files: list[AudioFile] = []
    new_bytes: dict[str, bytes] = {}
    kept: list[str] = []
    for script, recipes in sorted(tracks.items(), key=lambda item: item[0].stem):
        digest = recipe_hash(script, identity)
        old = previous.get(digest)
        if old is not None:
            files.append(AudioFile(old.name, tuple(recipes), old.engine, old.duration, old.sha256, digest))
            kept.append(old.name)
            continue
        for text in script.texts():
            if text not in fragments:
                progress(f'rendering "{text}" with {engine.name}')
                try:
                    fragments[text] = prepare_fragment(engine.synthesize(text))
                except DecodeError as exc:
                    raise SynthesisError(engine.name, text, str(exc)) from exc
        mp3 = encode_mp3(compose(script, fragments))
        sha = hashlib.sha256(mp3).hexdigest()
        name = f"{script.stem}-{sha[:12]}.mp3"
        duration = round(miniaudio.mp3_get_info(mp3).duration, 3)
        files.append(AudioFile(name, tuple(recipes), engine.name, duration, sha, digest))
        new_bytes[name] = mp3
    audio_set = AudioSet(files)

    for name, mp3 in new_bytes.items():
        _write_atomically(out_dir / name, mp3)
        progress(f"wrote {name}")
    audio_set.save(out_dir)
    removed = tuple(sorted(_remove_stale(out_dir, audio_set)))
    total = sum((out_dir / f.name).stat().st_size for f in audio_set.files)
    return BuildResult(audio_set, tuple(sorted(new_bytes)), tuple(sorted(kept)), removed, total)


def _check_writable(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=out_dir):
        pass


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the web server must read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale(out_dir: Path, audio_set: AudioSet) -> list[str]:
    """Delete earlier builds' tracks; only names this builder makes, never anyone else's files."""
    removed = []
    for path in out_dir.iterdir():
        if path.name != MANIFEST_NAME and FILE_NAME.match(path.name) and audio_set.by_name(path.name) is None:
            path.unlink()
            removed.append(path.name)
    return removed
