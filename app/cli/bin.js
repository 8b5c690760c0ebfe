#!/usr/bin/env node
// The npm bin: runs the compiled CLI (built by `npm install` through the `prepare` script).
import { main } from '../../dist/app/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
