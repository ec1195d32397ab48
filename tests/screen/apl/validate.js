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
    const errors = found.map((e) => ({ path: e.path, message: e.errorMessage, level: e.level }));
    // When the document fails the top-level schema, validate() filters the schema errors and skips the
    // graphics and command checks: report the schema's own errors so that nothing passes silently.
    if (!validator.validateFunction(document)) {
      for (const e of validator.validateFunction.errors) {
        errors.push({ path: e.dataPath, message: e.message, level: "SCHEMA" });
      }
    }
    results.push({ name, errors });
  }
  process.stdout.write(JSON.stringify(results));
});
