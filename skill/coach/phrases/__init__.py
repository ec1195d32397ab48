"""Phrase files, one per language (en.json): every sentence the coach says. A package so the JSON ships."""
