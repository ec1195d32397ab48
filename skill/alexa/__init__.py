"""The ASK SDK shell around the coaching engine."""
