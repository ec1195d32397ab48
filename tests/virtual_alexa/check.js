// Talks to a running Back Coach endpoint through Bespoken's virtual-alexa, using the project's
// interaction model unmodified, and prints one JSON line per turn: what was said, the request
// virtual-alexa built from it, and what the skill answered.
//
//   node check.js SKILL_URL [utterance ...]        e.g. http://127.0.0.1:8000/alexa "start my back routine" ready
//   node check.js SKILL_URL --script FILE          one utterance per line; blank lines and # comments skipped
//   node check.js SKILL_URL --in-session ...       (before either form) words said inside an open session
//   node check.js SKILL_URL --turn-gap SECONDS ... (before either form) stamp each request SECONDS after the
//                                                  last, as if each reply had played out before the answer
//
// Utterances go through virtual-alexa's utter(), which turns "open back coach" into launch() and
// "ask back coach to ..." into the inner utterance (so any phrase containing ask/tell/open/launch is
// read that way). With --in-session nobody names the skill, so that parsing is skipped ("I can't tell
// when I need to wee" is a symptom, not a launch): the words go straight to virtual-alexa's matcher,
// and words that match no sample become AMAZON.FallbackIntent, as on a device whose model has one.
// Set LOCALE to pick interaction_model/<LOCALE>.json (default en-US).
// Exits 1 at the first utterance that matches no intent (without --in-session) or that the skill fails
// to answer; 2 on bad usage.
"use strict";

const fs = require("fs");
const path = require("path");
const va = require("virtual-alexa");

const USAGE = "usage: node check.js SKILL_URL [--in-session] [--turn-gap SECONDS] (utterance ... | --script FILE)";

function utterancesFrom(args) {
  if (args[0] !== "--script") return args;
  if (args.length !== 2) throw new Error(USAGE);
  return fs.readFileSync(args[1], "utf8").split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}

function turn(said, request, response) {
  const r = request.request;
  const slots = Object.fromEntries(Object.values((r.intent && r.intent.slots) || {})
    .filter((s) => s.value !== undefined).map((s) => [s.name, s.value]));
  const body = response.response || {};
  const ssmlOf = (speech) => (speech ? speech.ssml || speech.text || null : null);
  return {
    said,
    request: r.type,
    intent: r.intent ? r.intent.name : null,
    slots,
    ssml: ssmlOf(body.outputSpeech),
    reprompt: ssmlOf(body.reprompt && body.reprompt.outputSpeech),
    shouldEndSession: body.shouldEndSession === undefined ? null : body.shouldEndSession,
  };
}

// In a session: virtual-alexa's matcher on the words as said, with one device rule it lacks (an
// AMAZON.SearchQuery slot holds at least one word: "sore" alone is not "sore {description}"), picking
// the best sample as its Utterance does (most words matched outside slots, then most typed slots);
// no match is the fallback intent.
function inSession(alexa, said) {
  const model = alexa.context().interactionModel();
  let best;
  for (const intent of model.intentSchema.intents()) {
    const phraseSlots = new Set((intent.slots || []).filter((s) => s.type === "AMAZON.SearchQuery").map((s) => s.name));
    for (const sample of model.sampleUtterances.samplesForIntent(intent.name)) {
      const test = sample.matchesUtterance(said);
      if (!test.matches()) continue;
      const values = test.slotValues();
      if (values.some((v, i) => phraseSlots.has(sample.slotName(i)) && !v.trim())) continue;
      if (!best || test.score() > best.score() ||
          (test.score() === best.score() && test.scoreSlots() > best.scoreSlots())) best = test;
    }
  }
  if (!best) return alexa.intend("AMAZON.FallbackIntent");
  const slots = {};
  best.slotValues().forEach((value, i) => { slots[best.samplePhrase.slotName(i)] = value.trim(); });
  return alexa.intend(best.samplePhrase.intent, slots);
}

async function main(argv) {
  const [skillURL, ...args] = argv;
  let session = false;
  let gapSeconds = 0;
  let utterances;
  try {
    if (!skillURL || !/^https?:\/\//.test(skillURL)) throw new Error(USAGE);
    while (args[0] === "--in-session" || args[0] === "--turn-gap") {
      const option = args.shift();
      if (option === "--in-session") session = true;
      else if (!/^\d+(\.\d+)?$/.test(args[0] || "")) throw new Error(`${USAGE}\n--turn-gap needs a number of seconds`);
      else gapSeconds = Number(args.shift());
    }
    utterances = utterancesFrom(args);
    if (!utterances.length) throw new Error(`${USAGE}\nno utterances given`);
  } catch (error) {
    console.error(error.message);
    return 2;
  }
  const locale = process.env.LOCALE || "en-US";
  const alexa = va.VirtualAlexa.Builder()
    .interactionModelFile(path.join(__dirname, "..", "..", "interaction_model", `${locale}.json`))
    .locale(locale)
    .skillURL(skillURL)
    .create();
  let sent = null;
  let clock = Date.now();
  alexa.filter((request) => {  // the envelope exactly as it goes to the skill
    if (gapSeconds) {
      clock += gapSeconds * 1000;  // the skill places a reply's interruptions by the request's timestamp
      request.request.timestamp = new Date(clock).toISOString().replace(/\.\d{3}Z$/, "Z");
    }
    sent = request;
  });

  for (const said of utterances) {
    sent = null;
    try {
      const response = await (session ? inSession(alexa, said) : alexa.utter(said));
      console.log(JSON.stringify(turn(said, sent, response)));
    } catch (error) {
      // virtual-alexa rejects with an Error for unmatched utterances and a string for HTTP failures.
      console.log(JSON.stringify({ said, error: String(error && error.message ? error.message : error) }));
      return 1;
    }
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
