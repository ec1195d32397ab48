"""The conversation: what the person typed -> the request Alexa would send -> what the skill says.

The session is followed the way a device follows it: it stays open while the skill keeps the
microphone open; after that, the next words need the skill's name again (or are sent as a one-shot
"ask back coach to ..." for convenience). Saying nothing gets the re-prompt once, then the session
times out.

Time runs as on a device: each request is stamped as if the previous reply had played out in full (the
skill places an interruption by that clock). "@45 that hurt" speaks 45 seconds into the last reply instead,
as saying "Alexa, that hurt" over it would.
"""
from __future__ import annotations

from collections.abc import Callable
import re
from datetime import datetime, timedelta, timezone

from skill.coach.catalog import load_catalog
from skill.console.envelopes import Device
from skill.console.nlu import FALLBACK, LAUNCH, Resolution, Resolver
from skill.console.speaker import Speaker
from skill.coach.speech import Text
from skill.coach.timing import duration
from skill.voice.ssml import Heard, SsmlError, Track, read
from skill.console.transcript import Transcript
from skill.console.transport import Answer, Transport

SILENCE = "<silence>"
QUIT = "quit"
# What a device says when a skill's answer is unusable (and then it ends the session).
DEVICE_APOLOGY = "There was a problem with the requested skill's response."
# The skill's own apology for a turn that failed on its side (the engine's phrase, not a copy).
_SKILL_APOLOGY = load_catalog().phrases.text("technical_sorry")
# "@45 that hurt": said 45 seconds into the last reply (over it, after the wake word)
_OVER = re.compile(r"^@(\d+(?:\.\d+)?)s?\s+(.+)$")
ANSWER_GAP = timedelta(seconds=1.5)        # a person's answer after a reply ends
REPROMPT_WAIT = timedelta(seconds=8)       # how long a device listens before the re-prompt


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Conversation:
    def __init__(self, resolver: Resolver, device: Device, transport: Transport, transcript: Transcript, *,
                 speaker: Speaker | None = None, clock: Callable[[], datetime] = utc_now,
                 show_requests: bool = False, screen: Callable[[dict], None] | None = None) -> None:
        self.resolver, self.device, self.transport, self.transcript = resolver, device, transport, transcript
        self.speaker, self.clock, self.show_requests = speaker, clock, show_requests
        self.screen = screen       # shows each reply's screen (try --screen)
        self.failures = 0          # turns where the skill failed: HTTP error, bad reply, or its apology
        self._reprompt: tuple[Heard, ...] = ()
        self._silences = 0
        self._noted: set[str] = set()
        self._reply_at: datetime | None = None      # when the last reply started playing
        self._reply_s = 0.0                         # and how long it plays

    @property
    def in_session(self) -> bool:
        return self.device.session_id is not None

    def hear(self, said: str) -> bool:
        """One thing the person said ('' or <silence>: nothing). False once they quit."""
        text = said.strip()
        if text.lower() == QUIT:
            self.close()
            return False
        if not text or text.lower() == SILENCE:
            self._silence()
        else:
            self._utterance(text)
        return True

    def close(self) -> None:
        """The person walked away (quit, Ctrl-D, end of script): an open session ends, as on a device."""
        if self.in_session:
            self._send(self.device.session_ended(self._now(), reason="USER_INITIATED"), "SessionEndedRequest")
            self.transcript.note("you left: the session ended (SessionEndedRequest, USER_INITIATED)")

    def _now(self, into_reply: float | None = None) -> datetime:
        """The request's time: after the last reply has played (or `into_reply` seconds into it)."""
        now = self.clock()
        if self._reply_at is None:
            return now
        played = self._reply_s if into_reply is None else min(into_reply, self._reply_s)
        heard = self._reply_at + timedelta(seconds=played) + (ANSWER_GAP if into_reply is None else timedelta())
        return max(now, heard) if into_reply is None else heard

    def _utterance(self, text: str) -> None:
        into = None
        if match := _OVER.match(text):
            into, text = float(match.group(1)), match.group(2)
        resolution = self.resolver.resolve(text)
        now = self._now(into)
        name = self.resolver.invocation_name
        if resolution.intent == LAUNCH:
            envelope = self.device.launch(now)
        elif self.in_session or resolution.invocation:
            envelope = self._intent(resolution, now)
        elif resolution.intent == FALLBACK:
            self._note_once("launch", f"no session is open and that matched nothing, so it opens the skill: "
                                      f"“Alexa, open {name}”")
            envelope = self.device.launch(now)
        else:
            self._note_once("one-shot", f"no session is open, so this is sent as “Alexa, ask {name} to {text}”; "
                                        f"say “alexa open {name}” to open one first")
            envelope = self._intent(resolution, now)
        self._silences = 0
        answer = self._send(envelope, _describe(resolution, envelope))
        if answer is not None:
            self._show(answer.body)
            self._reply_at = now

    def _intent(self, resolution: Resolution, now: datetime) -> dict:
        slots = {name: value.to_alexa(self.device.skill_id) for name, value in resolution.slots.items()}
        return self.device.intent(resolution.intent, now, slots)

    def _silence(self) -> None:
        if not self.in_session:
            self.transcript.note("nothing happens: no session is open")
            return
        self._silences += 1
        if self._reply_at is not None:
            self._reply_at += REPROMPT_WAIT
        if self._silences == 1 and self._reprompt:
            self.transcript.alexa(self._reprompt, label="Alexa (re-prompt)")
            self._speak(self._reprompt)
            self.transcript.microphone(True)
            return
        self._send(self.device.session_ended(self._now(), reason="EXCEEDED_MAX_REPROMPTS"),
                   "SessionEndedRequest")
        self._reprompt = ()
        self.transcript.note("no answer again: the session timed out (SessionEndedRequest, EXCEEDED_MAX_REPROMPTS)")
        self.transcript.microphone(False)

    def _send(self, envelope: dict, description: str) -> Answer | None:
        """The skill's answer, or None after reporting a failure (the device ends the session then)."""
        if self.show_requests:
            self.transcript.note(f"→ {description}")
        answer = self.transport.send(envelope)
        if answer.status == 200 and answer.body is not None:
            self.device.answered(answer.body)
            return answer
        self.failures += 1
        self.transcript.problem(_failure(answer))
        self.device.end_session()
        self._reprompt = ()
        if envelope["request"]["type"] != "SessionEndedRequest":
            self.transcript.alexa((Text(DEVICE_APOLOGY),))
            self.transcript.microphone(False)
        return None

    def _show(self, body: dict) -> None:
        if self.screen is not None:
            self.screen(body)
        response = body.get("response") or {}
        listening = not response.get("shouldEndSession", True)
        pieces = self._pieces(response.get("outputSpeech"))
        self._reply_s = sum(self.transcript.track_seconds(p.name) if isinstance(p, Track) else duration(p)
                            for p in pieces)
        if pieces:
            self.transcript.alexa(pieces)
            self._speak(pieces)
        if _SKILL_APOLOGY in " ".join(p.text for p in pieces if isinstance(p, Text)):
            self.failures += 1
            self.transcript.problem("the skill hit an error on its side (its catch-all apology)")
        reprompt = (response.get("reprompt") or {}).get("outputSpeech")
        self._reprompt = self._pieces(reprompt) if listening else ()
        self.transcript.microphone(listening)
        card = response.get("card")
        if card:
            self.transcript.card(card.get("title", ""), card.get("content") or card.get("text") or "")

    def _pieces(self, speech: dict | None) -> tuple[Heard, ...]:
        if not speech:
            return ()
        if speech.get("type") == "PlainText":
            return (Text(speech.get("text", "")),)
        try:
            return read(speech.get("ssml", ""))
        except SsmlError as exc:
            self.failures += 1
            self.transcript.problem(str(exc))
            return ()

    def _speak(self, pieces: tuple[Heard, ...]) -> None:
        if self.speaker is not None:
            self.speaker.say(pieces)

    def _note_once(self, key: str, text: str) -> None:
        if key not in self._noted:
            self._noted.add(key)
            self.transcript.note(text)


def _describe(resolution: Resolution, envelope: dict) -> str:
    request = envelope["request"]
    if request["type"] != "IntentRequest":
        return request["type"]
    filled = ", ".join(f"{name}={slot.value}" for name, slot in resolution.slots.items() if slot.raw is not None)
    return f"IntentRequest {request['intent']['name']}" + (f" ({filled})" if filled else "")


def _failure(answer: Answer) -> str:
    said = f": {answer.detail}" if answer.detail else ""
    if answer.status == 400:
        return (f"the skill refused the request (HTTP 400{said}); a server without --dev only accepts "
                "requests signed by Alexa, and the console does not sign them")
    if answer.status == 200:
        return "the skill's answer was not a JSON response envelope"
    return f"the skill failed (HTTP {answer.status}{said})"
