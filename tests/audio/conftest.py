"""A tiny recipe set built once with espeak-ng (offline), shared by the build and serving tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from skill.audio.build import BuildResult, build_audio_set
from skill.audio.engines import EspeakEngine
from skill.coach.speech import Count, CountIn, Countdown

SMALL_SET = (Count(3, 2.0), Count(4, 3.0), Countdown(12, "rest"), Countdown(12, "hold"), CountIn())


@pytest.fixture(scope="session")
def espeak() -> EspeakEngine:
    return EspeakEngine()


@pytest.fixture(scope="session")
def small_build(tmp_path_factory, espeak) -> tuple[Path, BuildResult]:
    """Read-only: tests that change files work on a copy (see `small_dir`)."""
    out = tmp_path_factory.mktemp("small-set")
    return out, build_audio_set(out, espeak, SMALL_SET)


@pytest.fixture
def small_dir(small_build, tmp_path) -> Path:
    copy = tmp_path / "audio"
    shutil.copytree(small_build[0], copy)
    return copy
