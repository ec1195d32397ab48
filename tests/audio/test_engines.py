"""The speech engines: gTTS over a faked HTTP layer (success and every failure), espeak-ng for real."""
from __future__ import annotations

import base64
import json
import math
from array import array
from urllib.parse import unquote_plus

import lameenc
import pytest
import requests
import responses

from skill.audio.build import build_audio_set
from skill.audio.engines import EngineUnavailable, EspeakEngine, GttsEngine, SynthesisError, Throttle, make_engine
from skill.audio.pcm import SAMPLE_RATE
from skill.coach.speech import Count, CountIn, Countdown
from tests.audio.audio_probe import frame_headers

GTTS_URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


def _small_mp3(seconds: float = 0.3) -> bytes:
    """What Google sends: a short MPEG-2 MP3 at 24 kHz, 32 kbps (here a 440 Hz tone after some silence)."""
    n, lead = round(seconds * SAMPLE_RATE), SAMPLE_RATE // 10
    tone = array("h", (round(9000 * math.sin(2 * math.pi * 440 * i / SAMPLE_RATE)) if i >= lead else 0
                       for i in range(n)))
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    return bytes(encoder.encode(tone.tobytes()) + encoder.flush())


def _google_reply(mp3: bytes) -> str:
    # The shape of Google Translate's batchexecute answer, which gTTS scans for the jQ1olc RPC.
    compact = {"separators": (",", ":")}
    payload = json.dumps([base64.b64encode(mp3).decode()], **compact)
    return ")]}'\n\n" + json.dumps([["wrb.fr", "jQ1olc", payload, None, None, None, "generic"]], **compact) + "\n"


class FakeClock:
    def __init__(self) -> None:
        self.now, self.slept = 100.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def gtts_engine(clock) -> GttsEngine:
    return GttsEngine(timeout=7.0, throttle=Throttle(1.5, clock=clock, sleep=clock.sleep))


@responses.activate
def test_gtts_renders_the_phrase_with_a_timeout_and_decodes_to_24khz(gtts_engine):
    responses.post(GTTS_URL, body=_google_reply(_small_mp3()))
    samples = gtts_engine.synthesize("switch sides")
    assert len(responses.calls) == 1
    call = responses.calls[0]
    assert "switch sides" in unquote_plus(call.request.body)
    assert call.request.req_kwargs["timeout"] == 7.0
    # 0.3 s of audio came back, decoded and resampled to 24 kHz mono (plus the MP3 codec's padding).
    assert 0.3 * SAMPLE_RATE <= len(samples) <= 0.5 * SAMPLE_RATE
    assert max(samples) > 5000


@responses.activate
def test_gtts_requests_are_spaced_out(gtts_engine, clock):
    responses.post(GTTS_URL, body=_google_reply(_small_mp3()))
    gtts_engine.synthesize("one")
    clock.now += 0.5  # the next request comes 0.5 s later: it must wait the remaining 1.0 s
    gtts_engine.synthesize("two")
    clock.now += 3.0  # long enough apart: no wait
    gtts_engine.synthesize("three")
    assert clock.slept == [pytest.approx(1.0)]
    assert len(responses.calls) == 3


@pytest.mark.parametrize("failure, cause", [
    (dict(status=500, body="oops"), "answered HTTP 500"),
    (dict(body=requests.ConnectionError("no route")), "cannot reach translate.google.com"),
    (dict(body=requests.ReadTimeout("slow")), "no answer from translate.google.com within 7 s"),
    (dict(body=")]}'\n\nnothing useful\n"), "held no audio"),
    (dict(body=')]}\'\n\n[["wrb.fr","jQ1olc","[]"]]\n'), "held no audio"),
])
@responses.activate
def test_gtts_failures_name_the_phrase_and_the_cause(gtts_engine, failure, cause):
    responses.post(GTTS_URL, **failure)
    with pytest.raises(SynthesisError) as caught:
        gtts_engine.synthesize("left side")
    message = str(caught.value)
    assert message.startswith('gtts could not render "left side"')
    assert cause in message
    assert caught.value.phrase == "left side"


@responses.activate
def test_gtts_reply_that_is_not_audio_is_a_clear_error(gtts_engine):
    responses.post(GTTS_URL, body=_google_reply(b"<html>captcha</html>"))
    with pytest.raises(SynthesisError, match=r'could not render "rest": Google\'s answer was not audio'):
        gtts_engine.synthesize("rest")


def test_espeak_renders_a_word(espeak):
    samples = espeak.synthesize("seven")
    assert 0.3 * SAMPLE_RATE < len(samples) < 2 * SAMPLE_RATE
    assert max(samples) > 3000
    assert espeak.identity()["engine"] == "espeak" and espeak.identity()["version"]


def test_espeak_missing_says_how_to_install_it():
    with pytest.raises(EngineUnavailable, match="install it with apt-get install espeak-ng"):
        EspeakEngine(executable="espeak-ng-not-here")


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine 'festival'; choose one of gtts, espeak"):
        make_engine("festival")


@responses.activate
def test_a_gtts_build_renders_each_word_once_and_reencodes_for_alexa(tmp_path, gtts_engine, clock):
    responses.post(GTTS_URL, body=_google_reply(_small_mp3()))
    result = build_audio_set(tmp_path, gtts_engine, [Count(3, 2.0), Countdown(12, "rest"), CountIn()])
    asked = sorted(unquote_plus(call.request.body).split('[\\"')[1].split('\\"')[0] for call in responses.calls)
    assert asked == ["five", "one", "ten", "three", "two"]     # the rest ends on "five" before a count-in
    assert len(clock.slept) == 4  # every request after the first waited its turn
    for f in result.audio_set.files:
        assert f.engine == "gtts"
        # Google's 32 kbps answer was decoded and re-encoded at Alexa's 48 kbps.
        assert {h.bitrate_kbps for h in frame_headers((tmp_path / f.name).read_bytes())} == {48}
