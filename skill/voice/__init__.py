"""Turning the engine's structured speech into something a device plays (SSML) or a person reads."""
