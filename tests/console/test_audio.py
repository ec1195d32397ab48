"""--save and --speak: the session rendered with espeak-ng (offline), saved as Alexa-format MP3 or played."""
from __future__ import annotations

import shutil
import sys
import wave

import miniaudio
import pytest

from skill.console.speaker import PLAYERS
from tests.audio.audio_probe import decode, frame_headers

ESPEAK = shutil.which("espeak-ng")


@pytest.fixture(autouse=True)
def espeak_installed():
    """`make test` installs espeak-ng; without it these tests cannot run, which is a failure, not a skip."""
    assert ESPEAK is not None, "espeak-ng is not installed (apt-get install espeak-ng)"


def test_save_writes_the_whole_session_as_one_alexa_format_mp3(converse, tmp_path):
    out = tmp_path / "session.mp3"
    result = converse("start my back routine", options=("--save", str(out)))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    frames = frame_headers(data)  # every byte is a well-formed frame, from the first to the last
    assert {(f.version, f.layer, f.bitrate_kbps, f.sample_rate, f.channel_mode) for f in frames} == {
        ("2", 3, 48, 24_000, "mono")}
    # Long enough for the welcome and Superman's three sets of eight at 4 s with their rests; and not silence.
    seconds = miniaudio.mp3_get_info(data).duration
    assert 3 * 8 * 4.0 + 2 * 30 < seconds < 300
    assert f"saved {seconds:.0f} s of audio to {out}" in result.output
    samples = decode(data)
    assert max(abs(v) for v in samples) > 5_000


def test_speak_plays_each_reply_through_the_player_found(converse, tmp_path, monkeypatch):
    played = tmp_path / "played"
    played.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    player = bin_dir / "aplay"  # a stand-in that keeps what it was asked to play
    player.write_text(f"#!{sys.executable}\nimport pathlib, shutil, sys\n"
                      f"kept = pathlib.Path({str(played)!r})\n"
                      "shutil.copy(sys.argv[-1], kept / f'{len(list(kept.iterdir())):03}.wav')\n")
    player.chmod(0o755)
    (bin_dir / "espeak-ng").symlink_to(ESPEAK)
    monkeypatch.setenv("PATH", str(bin_dir))  # only these two: no real player can be picked instead
    result = converse("start my back routine", "no", options=("--speak",))
    assert result.exit_code == 0, result.output
    assert "no audio player found" not in result.output
    files = sorted(played.iterdir())
    assert len(files) == 2  # one per reply
    with wave.open(str(files[1])) as sound:
        assert (sound.getnchannels(), sound.getframerate(), sound.getsampwidth()) == (1, 24_000, 2)
        assert sound.getnframes() / 24_000 > 8 * 4.0  # the easier set's eight reps at 4 s


def test_speak_without_a_player_says_so_once_and_carries_on(converse, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "espeak-ng").symlink_to(ESPEAK)
    monkeypatch.setenv("PATH", str(bin_dir))
    result = converse("start my back routine", "ready", options=("--speak",))
    assert result.exit_code == 0, result.output
    names = ", ".join(player.command for player in PLAYERS)
    assert result.output.count(f"no audio player found (looked for {names})") == 1
    assert "[count 1–8, every 4 s]" in result.output


def test_a_missing_engine_is_a_clear_error_before_anything_is_said(converse, tmp_path, monkeypatch, data_dir):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = converse("start my back routine", options=("--save", str(tmp_path / "x.mp3")))
    assert result.exit_code == 1
    assert "espeak-ng is not installed" in result.output
    assert "You:" not in result.output and not (tmp_path / "x.mp3").exists()
    assert not data_dir.exists(), "nothing was stored"
