"""The audio set's manifest (audio/manifest.json) and the lookup the renderer and web service use.

Deliberately light (json and the speech types only): the web service imports it on every start.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from skill.coach.speech import Count, CountIn, Countdown, Segment

MANIFEST_NAME = "manifest.json"
# Names are built as <stem>-<12 hex of the content hash>.mp3; anything else (slashes, dots) is refused.
FILE_NAME = re.compile(r"^[a-z]+(?:-[0-9]+(?:x[0-9]+\.[0-9]+)?)?-[0-9a-f]{12}\.mp3$")


class ManifestError(Exception):
    """The manifest is missing or does not describe a usable audio set."""


def segment_recipe(segment: Segment) -> dict | None:
    """A segment as plain JSON (what the manifest records); None for segments no track renders."""
    match segment:
        case Count(reps=reps, tempo=tempo):
            return {"type": "Count", "reps": reps, "tempo": float(tempo)}
        case Countdown(seconds=seconds, kind=kind):
            return {"type": "Countdown", "seconds": seconds, "kind": kind}
        case CountIn():
            return {"type": "CountIn"}
    return None


def _key(recipe: dict) -> str:
    return json.dumps(recipe, sort_keys=True)


@dataclass(frozen=True)
class AudioFile:
    name: str
    segments: tuple[dict, ...]  # the recipes this file plays (a rest and a hold of equal length share one)
    engine: str
    duration: float  # seconds, as a player counts the MP3's frames
    sha256: str
    recipe_hash: str  # what was rendered: script, engine identity, composer version

    def to_json(self) -> dict:
        return {"name": self.name, "segments": list(self.segments), "engine": self.engine,
                "duration": self.duration, "sha256": self.sha256, "recipe_hash": self.recipe_hash}

    @classmethod
    def from_json(cls, raw: object) -> AudioFile:
        if not isinstance(raw, dict):
            raise ManifestError(f"a file entry is not an object: {raw!r}")
        try:
            entry = cls(name=raw["name"], segments=tuple(raw["segments"]), engine=raw["engine"],
                        duration=float(raw["duration"]), sha256=raw["sha256"], recipe_hash=raw["recipe_hash"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ManifestError(f"file entry {raw.get('name', '?')!r} is incomplete: {exc}") from exc
        if not isinstance(entry.name, str) or not FILE_NAME.match(entry.name):
            raise ManifestError(f"file entry has an unsafe or malformed name: {entry.name!r}")
        if not all(isinstance(s, dict) and "type" in s for s in entry.segments):
            raise ManifestError(f"{entry.name}: segments must be objects with a type")
        return entry


class AudioSet:
    """Which pre-rendered file plays which speech segment."""

    def __init__(self, files: Iterable[AudioFile]):
        self.files = tuple(sorted(files, key=lambda f: f.name))
        self._by_name = {f.name: f for f in self.files}
        self._by_recipe: dict[str, AudioFile] = {}
        for f in self.files:
            for recipe in f.segments:
                key = _key(recipe)
                if key in self._by_recipe:
                    raise ManifestError(f"{key} is claimed by both {self._by_recipe[key].name} and {f.name}")
                self._by_recipe[key] = f

    @classmethod
    def load(cls, audio_dir: Path) -> AudioSet:
        path = Path(audio_dir) / MANIFEST_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ManifestError(f"no audio manifest at {path}; run `backcoach audio build`") from exc
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ManifestError(f"cannot read {path}: {exc}") from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("files"), list):
            raise ManifestError(f"{path} has no list of files")
        return cls(AudioFile.from_json(entry) for entry in raw["files"])

    def save(self, audio_dir: Path) -> None:
        """Write the manifest atomically, so a reader never sees half of it."""
        body = {"files": [f.to_json() for f in self.files]}
        text = json.dumps(body, indent=1, sort_keys=True) + "\n"
        fd, tmp = tempfile.mkstemp(dir=audio_dir, prefix=".manifest-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(tmp, 0o644)  # mkstemp makes it private; the web server must read it
            os.replace(tmp, Path(audio_dir) / MANIFEST_NAME)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def file_for(self, segment: Segment) -> AudioFile | None:
        recipe = segment_recipe(segment)
        return None if recipe is None else self._by_recipe.get(_key(recipe))

    def filename_for(self, segment: Segment) -> str | None:
        found = self.file_for(segment)
        return found.name if found else None

    def duration_of(self, segment: Segment) -> float:
        found = self.file_for(segment)
        if found is None:
            raise LookupError(f"no track for {segment!r} in the audio set")
        return found.duration

    def by_name(self, name: str) -> AudioFile | None:
        return self._by_name.get(name)
