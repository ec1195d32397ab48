// Sends utterances through Bespoken's virtual-alexa, using Back Coach's interaction model unmodified,
// to a running skill endpoint, and prints the request each resolved to and the skill's JSON response.
//
//   node check.js http://127.0.0.1:PORT/alexa [utterance ...]
//
// With no utterances it plays a short conversation. Exits 1 if an utterance matches no intent or the
// skill answers with an error.
"use strict";

const path = require("path");
const va = require("virtual-alexa");

const DEFAULT_UTTERANCES = ["start my back routine", "ready", "yes", "my leg is tingling"];

async function main(argv) {
  const [skillURL, ...given] = argv;
  if (!skillURL || !/^https?:\/\//.test(skillURL)) {
    console.error("usage: node check.js SKILL_URL [utterance ...]  (e.g. http://127.0.0.1:5000/alexa)");
    return 2;
  }
  const locale = process.env.LOCALE || "en-US";
  const alexa = va.VirtualAlexa.Builder()
    .interactionModelFile(path.join(__dirname, "..", "..", "interaction_model", `${locale}.json`))
    .locale(locale)
    .skillURL(skillURL)
    .create();
  alexa.filter((request) => {
    const r = request.request;
    const slots = r.intent && r.intent.slots ? r.intent.slots : {};
    const filled = Object.values(slots).filter((s) => s.value !== undefined)
      .map((s) => `${s.name}=${s.value}`);
    console.log(`> ${r.type}${r.intent ? " " + r.intent.name : ""}${filled.length ? " " + filled.join(" ") : ""}`);
  });
  for (const utterance of given.length ? given : DEFAULT_UTTERANCES) {
    console.log(`\nuser: ${utterance}`);
    try {
      const response = await alexa.utter(utterance);
      console.log(JSON.stringify(response, null, 2));
    } catch (error) {
      console.error(`failed: ${error.message || error}`);
      return 1;
    }
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
