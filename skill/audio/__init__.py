"""The pre-rendered audio set: exact-tempo count tracks, countdowns and the count-in, as Alexa-ready MP3s.

scripts (what is said when) -> engines (speech fragments) -> pcm (trim, level) -> compose (lay out,
encode) -> build (incremental, manifest) ; manifest (the light lookup the renderer and web use).
"""
