// Reads [{name, document}] as JSON on stdin; validates each APL document with Amazon's
// apl-suggester (StaticAplTemplateValidator); prints [{name, errors: [...]}] as JSON.
"use strict";
const { StaticAplTemplateValidator } = require("apl-suggester");

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  const validator = new StaticAplTemplateValidator();
  const results = [];
  for (const { name, document } of JSON.parse(input)) {
    const found = await validator.validate(document);
    results.push({ name, errors: found.map((e) => ({ path: e.path, message: e.errorMessage, level: e.level })) });
  }
  process.stdout.write(JSON.stringify(results));
});
