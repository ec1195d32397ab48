"""Assemble the ASK SDK skill around the engine."""
from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.alexa.handlers import CatchAllExceptionHandler, request_handlers
from skill.alexa.interceptors import LoadStateInterceptor, SaveStateInterceptor
from skill.alexa.turn import Turns
from skill.coach.machine import Coach
from skill.voice.ssml import AudioTracks


def skill_builder(coach: Coach, store: AbstractPersistenceAdapter,
                  tracks: AudioTracks | None = None) -> CustomSkillBuilder:
    builder = CustomSkillBuilder(persistence_adapter=store)
    turns = Turns(coach, tracks)
    for handler in request_handlers(turns):
        builder.add_request_handler(handler)
    builder.add_exception_handler(CatchAllExceptionHandler(turns))
    builder.add_global_request_interceptor(LoadStateInterceptor(coach))
    builder.add_global_response_interceptor(SaveStateInterceptor())
    return builder
