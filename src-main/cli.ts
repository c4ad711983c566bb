#!/usr/bin/env node
/** Entry of the `obnova` command; the work is in cli/run-cli.ts so tests can call it in-process. */
import { runCli } from './cli/run-cli.js';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`obnova: unexpected failure: ${(error as Error).message} [INTERNAL]\n`);
    process.exitCode = 3;
  },
);
