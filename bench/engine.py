"""The hands-free engine, measured: answers a session needs, timeouts while training, silences, Alexa's limits
over thousands of random conversations, where a barge-in lands, and time per turn. Prints figures only.

    .venv/bin/python bench/engine.py [walks]

Every figure is measured on the real engine and the real SSML renderer; tracks are the shipped audio set.
"""
from __future__ import annotations

import json
import random
import re
import statistics
import sys
import time

from skill.audio.manifest import AudioSet
from skill.coach.bargein import locate
from skill.coach.catalog import load_catalog
from skill.coach.events import Event
from skill.coach.machine import Coach
from skill.coach.rules import SPEECH_LATENCY_SECONDS
from skill.coach.state import Phase, State
from skill.coach.timing import seconds
from skill.config import REPO_AUDIO_DIR
from skill.voice.ssml import MAX_AUDIO_S, MAX_AUDIO_TAGS, MAX_REPROMPT_AUDIO_S, MAX_SSML_CHARS, SsmlBudget, \
    render_report
from skill.web.tracks import HostedTracks

T0 = 1_764_000_000.0
ANSWER_AFTER = 2.0
REPROMPT_WAIT = 8.0     # a device listens this long, re-prompts once, then ends the session
CATALOG = load_catalog()
TRACKS = HostedTracks(AudioSet.load(REPO_AUDIO_DIR), "https://coach.example.com/audio")


class Person:
    """Steps the engine as a shell would (state through JSON), the clock moving as the replies play."""

    def __init__(self, coach: Coach, state: State | None = None, now: float = T0) -> None:
        self.coach, self.state, self.now = coach, state or coach.new_state(), now
        self.answers = self.timeouts = self.mid_routine_timeouts = 0
        self.out = None

    def say(self, kind: str, value=None, spoken: bool = True):
        out, new = self.coach.step(self.state, Event(kind, value), self.now)
        self.state = State.from_json(json.loads(json.dumps(new.to_json())))
        self.answers += spoken
        self.now += seconds(out.speech) + ANSWER_AFTER
        self.out = out
        return out

    def silent(self) -> None:
        """Says nothing: the re-prompt plays, then the session times out."""
        training = self.state.phase in (Phase.MOVING, Phase.READY) and self.out.listen
        self.now += 2 * REPROMPT_WAIT + seconds(self.out.reprompt)
        self.timeouts += 1
        self.mid_routine_timeouts += training and self.state.phase == Phase.READY
        self.say("session_ended", spoken=False)


def first_session(coach: Coach, stretches: bool, only_the_move_question: bool) -> Person:
    """A new person, answering only what is asked (always "yes"); or answering only the per-move question."""
    person = Person(coach)
    person.say("start_routine")
    while person.state.phase in (Phase.MOVING, Phase.READY):
        if person.state.phase == Phase.READY and only_the_move_question:
            person.silent()
            person.say("launch")
            person.say("yes")                         # "shall we carry on?" after the timeout
            continue
        person.say("ready" if person.state.phase == Phase.READY else "yes")
    assert person.state.phase == Phase.OFFER, person.state.phase
    person.say("yes" if stretches else "no")
    while person.state.phase == Phase.STRETCH:
        person.say("yes")
    assert person.state.session is None and person.state.progress.sessions == 1
    return person


def answers_needed() -> None:
    print("Spoken answers for a first session of four moves, answering only what is asked (launch included):")
    for label, budget in (("default (Alexa's voice counts)", SsmlBudget()), ("with the audio tracks", SsmlBudget(TRACKS))):
        coach = Coach(CATALOG, budget)
        plain, with_stretches = first_session(coach, False, False), first_session(coach, True, False)
        quiet = first_session(coach, False, True)
        print(f"  {label:<32} {plain.answers} answers; with the stretches {with_stretches.answers}; "
              f"answering only each move's question: {quiet.mid_routine_timeouts} timeouts while training")


_TOKEN = re.compile(r'<break time="(\d+)ms"/>|<audio[^>]*/>|[A-Za-z]+')


def longest_silence(ssml: str) -> float:
    """The longest stretch of <break>s with no word (or track) between them, in seconds."""
    longest = run = 0.0
    for match in _TOKEN.finditer(ssml.removeprefix("<speak>").removesuffix("</speak>")):
        run = run + int(match.group(1)) / 1000 if match.group(1) else 0.0
        longest = max(longest, run)
    return longest


COMMON = ["start_routine", "yes", "no", "hurts", "pause", "resume", "ready", "launch", "skip", "stop",
          "slower", "question", "explain", "start_stretches", "unknown", "session_ended", "help", "easier"]


def random_walks(walks: int) -> None:
    rng = random.Random(7)
    worst = {"chars": 0, "tags": 0, "audio": 0.0, "silence": 0.0, "reprompt": 0.0}
    responses = over = 0
    coaches = (Coach(CATALOG, SsmlBudget()), Coach(CATALOG, SsmlBudget(TRACKS)))
    start = time.perf_counter()
    for walk in range(walks):
        coach = coaches[walk % 2]
        tracks = TRACKS if walk % 2 else None
        state, now, sent, length = coach.new_state(), T0, T0, 0.0
        for _ in range(rng.randint(3, 14)):
            kind = rng.choice(COMMON)
            value = {"question": rng.choice(["sets", "reps", "rest", "time"])}.get(kind)
            now = sent + (length * rng.random() if rng.random() < 0.3 else length + rng.uniform(0, 20))
            out, state = coach.step(state, Event(kind, value), now)
            sent, length = now, seconds(out.speech)
            rendered = render_report(out.speech, tracks)
            reprompt = render_report(out.reprompt, None)
            responses += 1
            worst["chars"] = max(worst["chars"], len(rendered.ssml))
            worst["tags"] = max(worst["tags"], rendered.tracks)
            worst["audio"] = max(worst["audio"], rendered.audio_s)
            worst["silence"] = max(worst["silence"], longest_silence(rendered.ssml))
            worst["reprompt"] = max(worst["reprompt"], seconds(out.reprompt))
            over += (len(rendered.ssml) >= MAX_SSML_CHARS or rendered.tracks > MAX_AUDIO_TAGS
                     or rendered.audio_s > MAX_AUDIO_S or len(reprompt.ssml) >= MAX_SSML_CHARS
                     or seconds(out.reprompt) > MAX_REPROMPT_AUDIO_S or longest_silence(rendered.ssml) > 10.0)
    took = time.perf_counter() - start
    print(f"{walks} random walks ({responses} responses, half with tracks; words at random moments, over the "
          f"replies too) in {took:.1f} s:")
    print(f"  outside Alexa's limits: {over}; largest outputSpeech {worst['chars']} chars (limit < {MAX_SSML_CHARS}), "
          f"most <audio> tags {worst['tags']} (<= {MAX_AUDIO_TAGS}), most audio {worst['audio']:.0f} s "
          f"(<= {MAX_AUDIO_S:.0f}), longest re-prompt {worst['reprompt']:.0f} s (<= {MAX_REPROMPT_AUDIO_S:.0f})")
    print(f"  longest silence in any response: {worst['silence']:.2f} s (target <= 10 s)")


def barge_in(trials: int, jitter: float) -> None:
    """Interrupt a move's sets at a random moment; Alexa's timestamp comes SPEECH_LATENCY later, give or take
    `jitter`. The right set is the one being done, or the one just finished (its rest)."""
    rng = random.Random(11)
    coach = Coach(CATALOG, SsmlBudget())
    person = Person(coach)
    person.say("start_routine")
    blocks = []
    while person.state.phase == Phase.MOVING:
        blocks.append(person.state.session.sent)
        person.say("yes")
    right = uncertain = 0
    for _ in range(trials):
        sent = rng.choice(blocks)
        moment = rng.uniform(sent.sets[0][1], sent.sets[-1][2])          # from the first rep to the last
        truth = max(int(n) for n, start, _ in sent.sets if start <= moment)
        cut = locate(sent, sent.at + moment + SPEECH_LATENCY_SECONDS + rng.uniform(-jitter, jitter))
        got = cut.current if cut is not None else int(sent.sets[-1][0])
        right += got == truth
        uncertain += cut is not None and cut.uncertain
    print(f"Barge-in: {trials} interruptions at random moments of a first session's sets, latency jitter "
          f"±{jitter} s: right set {100 * right / trials:.1f} % (target >= 95 %); "
          f"'I'll count that as set N' said {100 * uncertain / trials:.1f} % of the time")


def per_turn(sessions: int) -> None:
    coach = Coach(CATALOG, SsmlBudget())
    timings = []
    for i in range(sessions):
        person = Person(coach, now=T0 + i)
        stored = json.dumps(person.state.to_json())
        turns = ["start_routine", "yes", "no", "yes", "yes", "yes", "no"]
        for kind in turns:
            begin = time.perf_counter()
            state = State.from_json(json.loads(stored))
            out, state = coach.step(state, Event(kind), person.now)
            stored = json.dumps(state.to_json())
            timings.append((time.perf_counter() - begin) * 1000)
            person.now += seconds(out.speech) + ANSWER_AFTER
    ordered = sorted(timings)
    print(f"Engine per turn ({len(timings)} turns, state read from and written to JSON each turn): "
          f"median {statistics.median(ordered):.3f} ms, p99 {ordered[int(len(ordered) * 0.99)]:.3f} ms "
          f"(target median <= 1 ms)")


def main() -> None:
    walks = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    start = time.perf_counter()
    load_catalog()
    print(f"load_catalog (moves + phrases, validated): {(time.perf_counter() - start) * 1000:.1f} ms")
    answers_needed()
    barge_in(20_000, 1.5)
    per_turn(300)
    random_walks(walks)


if __name__ == "__main__":
    main()
