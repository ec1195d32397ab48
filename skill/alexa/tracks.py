"""Pre-rendered count and countdown tracks, as Alexa fetches them: from a public HTTPS base URL."""
from __future__ import annotations

from skill.audio.manifest import AudioSet
from skill.coach.speech import Segment


class HostedTracks:
    def __init__(self, audio_set: AudioSet, base_url: str) -> None:
        self.audio_set, self.base_url = audio_set, base_url.rstrip("/")  # HTTPS: checked by Settings

    def url_for(self, segment: Segment) -> str | None:
        name = self.audio_set.filename_for(segment)
        return f"{self.base_url}/{name}" if name else None

    def duration_of(self, segment: Segment) -> float:
        return self.audio_set.duration_of(segment)
