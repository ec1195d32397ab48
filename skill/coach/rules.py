"""Every rule constant of the coaching, in one place (the article's "how to train", made precise)."""
from __future__ import annotations

# -- the plan ---------------------------------------------------------------------------------------
SETS = 3                    # sets per strength move ("do 3 sets")
SHORT_SETS = 2              # sets per move in a short session ("quick", "I only have ten minutes")
PLAN_SIZE = 4               # moves in a plan ("pick the first 4 moves")
LADDER_REPS = (8, 12)       # every strength move and easier form: "aiming for 8-12 reps"
MASTERY_SESSIONS = 2        # sessions in a row at the top of the range, pain-free, to master a move
NEW_MOVES_PER_SESSION = 1   # "gradually": one new move joins at a time
PARK_SESSIONS = 3           # a move that hurt even on its easier form rests this many sessions
HISTORY_KEPT = 30           # sessions kept for "how am I doing" and the progress chart
EXTRA_SETS = 2              # sets of an extra asked for on its own (upper-back pull-downs)

# -- tempo and timing (seconds) -------------------------------------------------------------------------
TEMPO_GRID = (2.0, 3.0, 4.0, 5.0)   # seconds per rep; "slower"/"faster" move one step, within the move's limits
POSITION_SECONDS = 10       # time to get into position before a move's first set
WAIT_SECONDS = 20           # "wait" while getting into position buys this much more time
SIDE_SWITCH_SECONDS = 3     # between the left and the right side of a set
COUNT_IN_SECONDS = 4.0      # "three, two, one, go"
WORD_SECONDS = 0.4          # a generous speaking rate for short coaching sentences
MAX_PAUSE_SECONDS = 3.0     # the longest plain silence the engine asks for; longer waits are countdowns
MAX_SILENCE_SECONDS = 10.0  # a countdown speaks at least this often ("no dead air")
ANSWER_SECONDS = 6.0        # a person's answer and Alexa's turn-around, in the session-length estimate

# -- barge-in: where in a response a person was when they spoke ----------------------------------------
# From the moment a response is built to the moment Alexa timestamps the next request: delivery and the
# start of playback, the wake word and the words, recognition. The person's moment is this much earlier.
SPEECH_LATENCY_SECONDS = 2.5
# Two sets closer than this to the located moment cannot be told apart: the coach says which it assumed.
UNCERTAIN_SECONDS = 1.5

# -- pain (0-10) -------------------------------------------------------------------------------------------
PAIN_FREE_MAX = 3           # 0-3: pain-free, progress as usual
HOLD_MAX = 5                # 4-5: hold the level
EASIER_MAX = 8              # 6-8: the easier version; 9-10: stop the move and end the session with advice

# -- time between sessions (seconds) ---------------------------------------------------------------------
STALE_SECONDS = 12 * 3600        # an untouched session older than this is closed, not offered for resume
RECENT_SECONDS = 4 * 24 * 3600   # a last session this recent triggers the next-day back check ...
CHECK_AFTER_SECONDS = 6 * 3600   # ... if it is at least this old (not the same day's second go)
PROGRESS_GAP_SECONDS = 20 * 3600  # a move's level changes at most once in this long (no double rise in a day)

LONGEST_SET_SECONDS = 240.0  # one set's counting must fit one response (Alexa plays at most 240 s of audio)

# -- conversation ------------------------------------------------------------------------------------------
MISSES_BEFORE_PAUSE = 3     # unexpected answers in a row: a hint, then the options, then the offer to pause
