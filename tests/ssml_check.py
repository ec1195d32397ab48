"""What Alexa would reject in an SSML document: shared by every test that produces responses."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

MAX_CHARS = 8000
MAX_BREAK_MS = 10_000


def check_ssml(ssml: str) -> ET.Element:
    """Well-formed <speak> XML, under 8000 characters, every break at most 10 s, at most 5 audio tags."""
    assert len(ssml) < MAX_CHARS, f"SSML is {len(ssml)} characters"
    root = ET.fromstring(ssml)
    assert root.tag == "speak"
    for br in root.iter("break"):
        match = re.fullmatch(r"(\d+)ms", br.get("time", ""))
        assert match, f"break without a time in ms: {br.attrib}"
        assert 0 < int(match.group(1)) <= MAX_BREAK_MS, f"break of {match.group(1)} ms"
    audio = list(root.iter("audio"))
    assert len(audio) <= 5, f"{len(audio)} audio tags"
    assert all(a.get("src", "").startswith("https://") for a in audio)
    return root


def spoken_text(ssml: str) -> str:
    """The words of an SSML document, with whitespace collapsed."""
    return " ".join("".join(ET.fromstring(ssml).itertext()).split())
