#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a clone works after `npm install`.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
const code = await runCli(process.argv);
if (code !== 0) process.exitCode = code;
