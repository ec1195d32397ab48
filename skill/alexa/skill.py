"""The one composition root: build_skill(settings) is what the web app, the Lambda function and the
console all run. BackCoach is the skill as a shell sees it: an envelope in, a response out."""
from __future__ import annotations

import json
import logging
from typing import Any

from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, ResponseEnvelope
from ask_sdk_runtime.utils import UserAgentManager

from skill.alexa.deadline import Deadline
from skill.alexa.handlers import CatchAllExceptionHandler, request_handlers
from skill.alexa.identity import NoUserError, Owner, owner_of
from skill.alexa.interceptors import SaveStateInterceptor
from skill.alexa.store import SQLiteStore, StaleStateError, Store
from skill.alexa.tracks import HostedTracks
from skill.alexa.turn import TurnContext, Turns
from skill.audio.manifest import AudioSet
from skill.coach.catalog import load_catalog
from skill.coach.machine import Coach
from skill.config import Settings
from skill.voice.ssml import AudioTracks, SsmlBudget

log = logging.getLogger("backcoach.alexa")

# Two devices of one person answering at once: the loser of the race replays on the fresh state.
# Five tries: each is one load and one save (milliseconds), all within the one deadline.
STALE_RETRIES = 5
# Of a turn's budget, what is kept back to apologise and send the answer once the store gave up waiting.
ANSWER_RESERVE_S = 0.25
_UNKNOWN = object()


class BackCoach:
    """The ASK SDK skill plus what every shell needs around it: the person hashed once, one deadline for
    the whole turn (store waits and replays included), a turn whose save lost a race replayed on the
    fresh state, and an apology (nothing saved) if it keeps losing or the deadline passes."""

    def __init__(self, skill: CustomSkill, turns: Turns, budget_s: float = Settings.turn_budget_s) -> None:
        self.skill, self.turns, self.budget_s = skill, turns, budget_s
        self.store: Store = turns.store
        self.serializer = DefaultSerializer()

    def deadline(self) -> Deadline:
        """A turn's deadline, from now: start it when the request arrives."""
        return Deadline(self.budget_s - ANSWER_RESERVE_S)

    def invoke(self, envelope: RequestEnvelope, owner: Owner | None | object = _UNKNOWN,
               platform: Any = None, deadline: Deadline | None = None) -> ResponseEnvelope:
        """Answer one request. Raises NoUserError for a turn whose request names no user."""
        if owner is _UNKNOWN:
            owner = identify(envelope)
        context = TurnContext(owner, platform, deadline or self.deadline())
        for _ in range(STALE_RETRIES):
            try:
                return self.skill.invoke(envelope, context)
            except StaleStateError:
                continue
        log.warning("a save lost the race %d times; apologised, nothing saved", STALE_RETRIES)
        response = self.turns.sorry(ResponseFactory(), envelope.request.object_type)
        return ResponseEnvelope(response=response, version="1.0", user_agent=UserAgentManager.get_user_agent())

    def invoke_json(self, event: dict, platform: Any = None) -> dict:
        """The Lambda contract: a request envelope as parsed JSON in, the response as JSON out."""
        envelope = self.serializer.deserialize(json.dumps(event), RequestEnvelope)
        return self.serializer.serialize(self.invoke(envelope, platform=platform))


def identify(envelope: RequestEnvelope) -> Owner | None:
    try:
        return owner_of(envelope)
    except NoUserError:
        return None  # a CanFulfillIntentRequest needs no person; a turn refuses it (NoUserError)


def compose(coach: Coach, store: Store, tracks: AudioTracks | None = None, skill_id: str | None = None,
            budget_s: float = Settings.turn_budget_s) -> BackCoach:
    builder = CustomSkillBuilder()
    turns = Turns(coach, store, tracks)
    for handler in request_handlers(turns):
        builder.add_request_handler(handler)
    builder.add_exception_handler(CatchAllExceptionHandler(turns))
    builder.add_global_response_interceptor(SaveStateInterceptor(store))
    builder.skill_id = skill_id  # when set, the SDK refuses other skills' requests
    return BackCoach(builder.create(), turns, budget_s)


def open_store(settings: Settings) -> Store:
    if settings.store == "dynamodb":
        # Imported only when chosen: boto3 is the `dynamodb` extra (and Lambda's runtime provides it).
        from skill.alexa.dynamo import DynamoStore

        return DynamoStore(settings.dynamodb_table, endpoint_url=settings.dynamodb_endpoint)
    return SQLiteStore(settings.data_dir, server_file=settings.store_file)


def build_skill(settings: Settings, skill_id: str | None = None) -> BackCoach:
    """The skill for these settings: its store, the catalogue, and the hosted audio tracks when
    BACKCOACH_AUDIO_BASE_URL is set (counts and rests at an exact tempo)."""
    tracks = None
    if settings.audio_base_url:
        tracks = HostedTracks(AudioSet.load(settings.audio_dir), settings.audio_base_url)
    return compose(Coach(load_catalog(), SsmlBudget(tracks)), open_store(settings), tracks, skill_id,
                   settings.turn_budget_s)
