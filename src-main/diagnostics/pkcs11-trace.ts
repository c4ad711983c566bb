/**
 * The trace file behind `--trace FILE`: the PKCS#11 calls Obnova makes (src-main/token/call-trace.ts
 * records them at the binding, with no argument or result values) as JSON lines, one per call.
 *
 * Each call is appended as it ends, so a run that hangs or is killed still leaves the calls before it;
 * stop() rewrites the file in start order and adds the calls that had not returned (rv null).
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { CallTrace, type TraceEntry, type TraceSink } from '../token/call-trace.js';

export type { TraceEntry } from '../token/call-trace.js';

export interface TraceFile {
  /** Pass to createMainServices / createTokenService. */
  readonly sink: TraceSink;
  /** Ends the trace and writes the file in call order; returns the number of calls. */
  stop(): { calls: number; path: string };
}

const line = (entry: TraceEntry): string => `${JSON.stringify(entry)}\n`;

/** Starts a trace into `outPath` (created or emptied; readable by its owner only). */
export function startTraceFile(outPath: string): TraceFile {
  let fd: number | null = openSync(outPath, 'w', 0o600);
  const trace = new CallTrace((entry) => {
    if (fd !== null) writeSync(fd, line(entry));
  });
  return {
    sink: trace,
    stop() {
      if (fd !== null) closeSync(fd);
      fd = null;
      const entries = trace.entries();
      writeFileSync(outPath, entries.map(line).join(''), { mode: 0o600 });
      return { calls: entries.length, path: outPath };
    },
  };
}

/** Reads a trace file back. */
export function readTrace(path: string): TraceEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => JSON.parse(text) as TraceEntry);
}
