"""Real-shaped Alexa request envelopes (as JSON dicts), for the console and the tests.

One `Device` holds what Alexa keeps between requests: the session (id, attributes, new or not),
the account, the recognised voice profile, the device and its interfaces.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


def _stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Device:
    user_id: str = "amzn1.ask.account.CONSOLE"
    person_id: str | None = None
    skill_id: str = DEFAULT_SKILL_ID
    device_id: str = field(default_factory=lambda: f"amzn1.ask.device.{uuid.uuid4().hex}")
    locale: str = "en-US"
    session_id: str | None = None
    session_attributes: dict = field(default_factory=dict)
    interfaces: dict = field(default_factory=lambda: {"AudioPlayer": {}})   # see devices.py for screens
    viewport: dict | None = None
    _session_new: bool = False

    def _envelope(self, request: dict, now: datetime, *, in_session: bool = True) -> dict:
        system = {
            "application": {"applicationId": self.skill_id},
            "user": {"userId": self.user_id},
            "device": {"deviceId": self.device_id, "supportedInterfaces": dict(self.interfaces)},
            "apiEndpoint": "https://api.amazonalexa.com",
            "apiAccessToken": "console-token",
        }
        if self.person_id:
            system["person"] = {"personId": self.person_id}
        context: dict = {"System": system}
        if self.viewport is not None:
            context["Viewport"] = dict(self.viewport)
        envelope = {
            "version": "1.0",
            "context": context,
            "request": {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}", "timestamp": _stamp(now),
                        "locale": self.locale, **request},
        }
        if in_session:
            if self.session_id is None:
                self.session_id, self._session_new = f"amzn1.echo-api.session.{uuid.uuid4()}", True
            envelope["session"] = {
                "new": self._session_new,
                "sessionId": self.session_id,
                "application": {"applicationId": self.skill_id},
                "attributes": dict(self.session_attributes),
                "user": {"userId": self.user_id},
            }
            self._session_new = False
        return envelope

    def launch(self, now: datetime) -> dict:
        self.end_session()
        return self._envelope({"type": "LaunchRequest"}, now)

    def intent(self, name: str, now: datetime, slots: dict[str, dict] | None = None) -> dict:
        """An IntentRequest; `slots` maps slot name -> Alexa's slot object (see `slot`)."""
        intent = {"name": name, "confirmationStatus": "NONE",
                  "slots": {k: {"name": k, "confirmationStatus": "NONE", **v} for k, v in (slots or {}).items()}}
        return self._envelope({"type": "IntentRequest", "dialogState": "COMPLETED", "intent": intent}, now)

    def user_event(self, token: str, arguments: list, now: datetime) -> dict:
        """A touch on the screen: Alexa.Presentation.APL.UserEvent from a SendEvent command."""
        return self._envelope({"type": "Alexa.Presentation.APL.UserEvent", "token": token, "arguments": arguments,
                               "source": {"type": "TouchWrapper", "handler": "Press", "id": ""}}, now)

    def session_ended(self, now: datetime, reason: str = "EXCEEDED_MAX_REPROMPTS") -> dict:
        envelope = self._envelope({"type": "SessionEndedRequest", "reason": reason}, now)
        self.end_session()
        return envelope

    def skill_event(self, event_type: str, now: datetime) -> dict:
        """AlexaSkillEvent.* arrive outside any session."""
        return self._envelope({"type": event_type, "eventCreationTime": _stamp(now),
                               "eventPublishingTime": _stamp(now)}, now, in_session=False)

    def answered(self, response: dict) -> None:
        """Follow the session the way Alexa does: it ends when the skill says so."""
        self.session_attributes = response.get("sessionAttributes") or {}
        if response.get("response", {}).get("shouldEndSession", True):
            self.end_session()

    def end_session(self) -> None:
        self.session_id, self.session_attributes = None, {}


def slot(value: str, resolved_id: str | None = None, authority: str = "BACK_FEELING") -> dict:
    """A slot as Alexa fills it; with `resolved_id`, entity resolution matched a custom value."""
    filled: dict = {"value": value}
    if resolved_id is not None:
        filled["resolutions"] = {"resolutionsPerAuthority": [{
            "authority": f"amzn1.er-authority.echo-sdk.{DEFAULT_SKILL_ID}.{authority}",
            "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": {"name": resolved_id, "id": resolved_id}}],
        }]}
    return filled
