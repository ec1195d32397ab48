// Talks to a running Back Coach endpoint through Bespoken's virtual-alexa, using the project's
// interaction model unmodified, and prints one JSON line per turn: what was said, the request
// virtual-alexa built from it, and what the skill answered.
//
//   node check.js SKILL_URL [utterance ...]        e.g. http://127.0.0.1:8000/alexa "start my back routine" ready
//   node check.js SKILL_URL --script FILE          one utterance per line; blank lines and # comments skipped
//
// Utterances go through virtual-alexa's utter(), which turns "open back coach" into launch() and
// "ask back coach to ..." into the inner utterance (so any phrase containing ask/tell/open/launch is
// read that way). Set LOCALE to pick interaction_model/<LOCALE>.json (default en-US).
// Exits 1 at the first utterance that matches no intent or that the skill fails to answer; 2 on bad usage.
"use strict";

const fs = require("fs");
const path = require("path");
const va = require("virtual-alexa");

const USAGE = "usage: node check.js SKILL_URL (utterance ... | --script FILE)";

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

async function main(argv) {
  const [skillURL, ...rest] = argv;
  let utterances;
  try {
    if (!skillURL || !/^https?:\/\//.test(skillURL)) throw new Error(USAGE);
    utterances = utterancesFrom(rest);
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
  alexa.filter((request) => { sent = request; });  // the envelope exactly as it goes to the skill

  for (const said of utterances) {
    sent = null;
    try {
      const response = await alexa.utter(said);
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
