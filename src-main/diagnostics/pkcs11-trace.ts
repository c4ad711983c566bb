/**
 * The trace file behind `--trace FILE`: the PKCS#11 calls Obnova makes (src-main/token/call-trace.ts
 * records them at the binding, with no argument or result values) as JSON lines, one per call.
 *
 * Calls are appended in start order as they end (only calls still running are held in memory, so an app
 * traced for hours does not grow), and a run that hangs or is killed still leaves the calls before it;
 * stop() adds the calls that had not returned, with rv null.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { CallTrace, type TraceEntry, type TraceSink } from '../token/call-trace.js';

export type { TraceEntry } from '../token/call-trace.js';

export interface TraceFile {
  /** Pass to createMainServices / createTokenService. */
  readonly sink: TraceSink;
  /** Ends the trace and closes the file; returns the number of calls. */
  stop(): { calls: number; path: string };
}

/** Starts a trace into `outPath` (created or emptied; readable by its owner only). */
export function startTraceFile(outPath: string): TraceFile {
  const fd = openSync(outPath, 'w', 0o600);
  const trace = new CallTrace({ keep: false, onEntry: (entry) => writeSync(fd, `${JSON.stringify(entry)}\n`) });
  let result: { calls: number; path: string } | null = null;
  return {
    sink: trace,
    stop() {
      if (!result) {
        trace.stop();
        closeSync(fd);
        result = { calls: trace.size, path: outPath };
      }
      return result;
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
