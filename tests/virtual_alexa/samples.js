// Cross-checks Back Coach's interaction model with an independent matcher: every sample utterance
// (slots filled with a value of their type) must resolve to its own intent in virtual-alexa's NLU.
//
//   node samples.js [LOCALE]      # default en-US; prints a summary, exits 1 on any mismatch
"use strict";

const path = require("path");
const fs = require("fs");
const va = require("virtual-alexa");
const { Utterance } = require("virtual-core");

const NUMBER_EXAMPLE = "four";

const locale = process.argv[2] || "en-US";
const file = path.join(__dirname, "..", "..", "interaction_model", `${locale}.json`);
const lm = JSON.parse(fs.readFileSync(file, "utf8")).interactionModel.languageModel;
const alexa = va.VirtualAlexa.Builder().interactionModelFile(file).locale(locale)
  .skillURL("http://127.0.0.1:9/unused").create();
const model = alexa.context().interactionModel();
const typeExample = Object.fromEntries(lm.types.map((t) => [t.name, t.values[0].name.value]));

let checked = 0;
const wrong = [];
for (const intent of lm.intents) {
  const slotTypes = Object.fromEntries((intent.slots || []).map((s) => [s.name, s.type]));
  for (const sample of intent.samples) {
    const said = sample.replace(/\{(\w+)\}/g, (_, slot) =>
      slotTypes[slot] === "AMAZON.NUMBER" ? NUMBER_EXAMPLE : typeExample[slotTypes[slot]]);
    const utterance = new Utterance(model, said);
    checked += 1;
    if (utterance.intent() !== intent.name) {
      wrong.push(`${said} -> ${utterance.intent() || "(no match)"}, expected ${intent.name}`);
    }
  }
}
console.log(`${locale}: ${checked} samples in ${lm.intents.length} intents checked, ${wrong.length} resolved elsewhere`);
wrong.forEach((line) => console.log(`  ${line}`));
process.exitCode = wrong.length ? 1 : 0;
