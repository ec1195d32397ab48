"""Time to build the whole audio set offline (espeak-ng) into an empty folder. Target: <= 30 s."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill.audio.build import build_audio_set  # noqa: E402
from skill.audio.engines import EspeakEngine  # noqa: E402
from skill.coach.catalog import load_catalog  # noqa: E402


def main() -> None:
    recipes = load_catalog().audio_recipes()
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = build_audio_set(Path(out), EspeakEngine(), recipes)
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        again = build_audio_set(Path(out), EspeakEngine(), recipes)
        rebuild = time.perf_counter() - start
    files = result.audio_set.files
    audio_s = sum(f.duration for f in files)
    print(f"audio build (espeak, offline): {elapsed:.1f} s for {len(files)} files "
          f"({len(recipes)} recipes, {audio_s / 60:.1f} min of audio, {result.total_bytes / 1e6:.1f} MB); "
          f"target <= 30 s")
    print(f"unchanged rebuild: {rebuild:.2f} s ({len(again.kept)} kept, {len(again.built)} built)")


if __name__ == "__main__":
    main()
