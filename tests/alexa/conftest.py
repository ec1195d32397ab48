"""Drive the real skill with real-shaped envelopes, as Alexa would, and look at what it says."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.alexa.skill import BackCoach, compose
from skill.alexa.store import SQLiteStore
from skill.coach.catalog import load_catalog
from skill.coach.machine import Coach
from skill.coach.timing import duration
from skill.audio.manifest import AudioSet
from skill.config import REPO_AUDIO_DIR
from skill.voice.ssml import SsmlBudget, Track, read
from skill.console.envelopes import Device, slot
from tests.ssml_check import check_ssml, spoken_text

SERIALIZER = DefaultSerializer()
START = datetime(2026, 3, 2, 7, 30, tzinfo=timezone.utc)
_TRACKS = AudioSet.load(REPO_AUDIO_DIR)


@dataclass
class Reply:
    raw: dict

    @property
    def said(self) -> str:
        speech = self.raw["response"].get("outputSpeech")
        return spoken_text(speech["ssml"]) if speech else ""

    @property
    def ssml(self) -> str:
        return self.raw["response"]["outputSpeech"]["ssml"]

    @property
    def reprompt(self) -> str:
        reprompt = self.raw["response"].get("reprompt")
        return spoken_text(reprompt["outputSpeech"]["ssml"]) if reprompt else ""

    @property
    def listening(self) -> bool:
        return self.raw["response"].get("shouldEndSession") is False

    @property
    def card(self) -> dict | None:
        return self.raw["response"].get("card")


@dataclass
class Alexa:
    """One Echo in a home, talking to the skill; `now` moves on as the conversation does."""

    skill: BackCoach
    store: SQLiteStore
    device: Device = field(default_factory=Device)
    now: datetime = START

    def send(self, envelope: dict) -> Reply:
        request = SERIALIZER.deserialize(json.dumps(envelope), RequestEnvelope)
        raw = SERIALIZER.serialize(self.skill.invoke(request))
        raw = json.loads(json.dumps(raw))
        reply = Reply(raw)
        speech = raw["response"].get("outputSpeech")
        if speech:
            check_ssml(speech["ssml"])
            if reply.listening:
                assert raw["response"]["reprompt"], "listening without a re-prompt"
                check_ssml(raw["response"]["reprompt"]["outputSpeech"]["ssml"])
        self.device.answered(raw)
        # the next words come once the reply has played (the skill places interruptions by this clock)
        played = sum(_TRACKS.by_name(piece.name).duration if isinstance(piece, Track) else duration(piece)
                     for piece in read(speech["ssml"])) if speech else 0.0
        self.now += timedelta(seconds=played + 2)
        return reply

    def launch(self) -> Reply:
        return self.send(self.device.launch(self.now))

    def say(self, intent: str, **slots: dict) -> Reply:
        return self.send(self.device.intent(intent, self.now, slots))

    def rating(self, value: int | str) -> Reply:
        return self.say("PainRatingIntent", rating=slot(str(value)))

    def feel(self, value: str) -> Reply:
        return self.say("BackFeelIntent", feeling=slot(value, resolved_id=value))

    def timeout(self) -> Reply:
        return self.send(self.device.session_ended(self.now))

    def saved(self) -> dict:
        """The person's record in the store: {"state": state or None, "revision": n}."""
        state, revision, _ = self.store.load(self.owner())
        return {"state": state, "revision": revision}

    def owner(self):
        from skill.alexa.identity import owner_of

        # a sessionless envelope names the same person without touching the device's session
        probe = self.device.skill_event("AlexaSkillEvent.SkillEnabled", self.now)
        return owner_of(SERIALIZER.deserialize(json.dumps(probe), RequestEnvelope))


@contextmanager
def write_lock(db_path) -> Iterator[None]:
    """Another connection holding the database's exclusive lock (BEGIN EXCLUSIVE): in WAL mode readers go
    on, writers wait. What a long maintenance transaction, or `sqlite3` left open at a prompt, does."""
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


@pytest.fixture(scope="session")
def coach() -> Coach:
    return Coach(load_catalog(), SsmlBudget())


@pytest.fixture
def store(tmp_path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "data")


@pytest.fixture
def alexa(coach, store) -> Alexa:
    return Alexa(compose(coach, store), store)
