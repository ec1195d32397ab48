"""The functional core: no Alexa, no Flask, no clock, no disk in the transitions."""
