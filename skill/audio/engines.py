"""Text-to-speech engines that render one fragment at a time: gTTS (default) and espeak-ng (offline).

Each returns mono 24 kHz samples, still with the engine's own silence around the words.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from array import array
from collections.abc import Callable
from typing import Protocol

import requests
from gtts import gTTS, gTTSError

from skill.audio.pcm import DecodeError, decode

ENGINE_NAMES = ("gtts", "espeak")


class EngineUnavailable(Exception):
    """The engine cannot run on this machine at all (e.g. espeak-ng is not installed)."""


class SynthesisError(Exception):
    """One phrase could not be rendered; the message names the phrase and the cause."""

    def __init__(self, engine: str, phrase: str, cause: str):
        super().__init__(f'{engine} could not render "{phrase}": {cause}')
        self.engine, self.phrase, self.cause = engine, phrase, cause


class Engine(Protocol):
    name: str

    def identity(self) -> dict:
        """What decides this engine's sound (name, voice, version): part of every recipe hash."""
        ...

    def synthesize(self, text: str) -> array: ...


class Throttle:
    """Keeps at least `min_interval` seconds between calls (Google rate-limits bursts)."""

    def __init__(self, min_interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.min_interval, self._clock, self._sleep = min_interval, clock, sleep
        self._last: float | None = None

    def wait(self) -> None:
        if self._last is not None:
            remaining = self._last + self.min_interval - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last = self._clock()


class GttsEngine:
    """Google Translate's voice through gTTS; needs the internet."""

    name = "gtts"

    def __init__(self, lang: str = "en", tld: str = "com", timeout: float = 10.0,
                 throttle: Throttle | None = None):
        self.lang, self.tld, self.timeout = lang, tld, timeout
        self.throttle = throttle or Throttle(min_interval=1.0)

    def identity(self) -> dict:
        return {"engine": self.name, "lang": self.lang, "tld": self.tld}

    def synthesize(self, text: str) -> array:
        self.throttle.wait()
        tts = gTTS(text, lang=self.lang, tld=self.tld, lang_check=False, timeout=self.timeout)
        try:
            mp3 = b"".join(tts.stream())
        except gTTSError as exc:
            raise SynthesisError(self.name, text, self._cause(exc)) from exc
        if not mp3:
            raise SynthesisError(self.name, text, "Google's answer held no audio (a newer gTTS may be needed)")
        try:
            return decode(mp3)
        except DecodeError as exc:
            raise SynthesisError(self.name, text, f"Google's answer was not audio ({exc})") from exc

    def _cause(self, exc: gTTSError) -> str:
        host = f"translate.google.{self.tld}"
        if exc.rsp is not None and exc.rsp.ok:
            return "Google's answer held no audio (a newer gTTS may be needed)"
        if exc.rsp is not None:
            return f"{host} answered HTTP {exc.rsp.status_code} ({exc.msg})"
        # gTTS wraps the requests exception; its context says whether we timed out or never connected.
        if isinstance(exc.__context__, requests.Timeout):
            return f"no answer from {host} within {self.timeout:g} s"
        if isinstance(exc.__context__, requests.ConnectionError):
            return f"cannot reach {host} (offline? try --engine espeak)"
        return exc.msg or "unknown gTTS failure"


class EspeakEngine:
    """espeak-ng from the distribution: robotic but offline and deterministic."""

    name = "espeak"

    def __init__(self, executable: str = "espeak-ng", voice: str = "en-us", words_per_minute: int = 150,
                 timeout: float = 30.0):
        path = shutil.which(executable)
        if path is None:
            raise EngineUnavailable(f"{executable} is not installed; install it with apt-get install espeak-ng")
        self.executable, self.voice, self.words_per_minute, self.timeout = path, voice, words_per_minute, timeout
        self._version: str | None = None

    def identity(self) -> dict:
        if self._version is None:
            out = self._run(["--version"], b"", "--version").decode(errors="replace")
            found = re.search(r"text-to-speech:\s*(\S+)", out)
            self._version = found.group(1) if found else out.strip()
        return {"engine": self.name, "version": self._version, "voice": self.voice,
                "words_per_minute": self.words_per_minute}

    def synthesize(self, text: str) -> array:
        # Text goes in on stdin so nothing in it can be read as an option; WAV comes out on stdout.
        wav = self._run(["--stdout", "-v", self.voice, "-s", str(self.words_per_minute)], text.encode(), text)
        try:
            return decode(wav)
        except DecodeError as exc:
            raise SynthesisError(self.name, text, f"espeak-ng gave no usable audio ({exc})") from exc

    def _run(self, args: list[str], stdin: bytes, phrase: str) -> bytes:
        try:
            done = subprocess.run([self.executable, *args], input=stdin, capture_output=True,
                                  timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise SynthesisError(self.name, phrase, f"espeak-ng took over {self.timeout:g} s") from exc
        except OSError as exc:
            raise EngineUnavailable(f"cannot run {self.executable}: {exc.strerror}") from exc
        if done.returncode != 0:
            detail = done.stderr.decode(errors="replace").strip() or f"exit status {done.returncode}"
            raise SynthesisError(self.name, phrase, detail)
        return done.stdout


def make_engine(name: str) -> Engine:
    if name == "gtts":
        return GttsEngine()
    if name == "espeak":
        return EspeakEngine()
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")
