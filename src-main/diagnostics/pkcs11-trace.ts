/**
 * An opt-in trace of the PKCS#11 calls Obnova makes — function, return value, start time, duration —
 * with no argument values at all, so no PIN, PUK or signature value can be in it.
 *
 * It stands OpenSC's pkcs11-spy between Obnova and the real module. The spy writes every argument in clear
 * (C_Login's pPin as a hex dump with the digits beside it), so its output never touches the disk: it goes
 * into a FIFO read by a small child process, which keeps the call name, time and return value of each
 * record, drops every other line unread, and writes only those to the trace file. A child, because the
 * spy writes from inside our synchronous PKCS#11 calls: a reader on our own event loop could not drain the
 * pipe while a long call runs, and the spy would block on a full pipe. POSIX only (mkfifo).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian/Ubuntu (opensc-pkcs11) and Fedora put pkcs11-spy. */
export const spyCandidates = ['/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib/aarch64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib64/pkcs11/pkcs11-spy.so', '/usr/lib/pkcs11/pkcs11-spy.so'];

/** One traced call, as a line of the trace file (JSON lines). */
export interface TraceEntry {
  seq: number;
  fn: string;
  /** CKR_* name as the spy prints it, or null if the call had not returned when the trace stopped. */
  rv: string | null;
  startedAt: string;
  /** Milliseconds from this call's start to the next call's start (the spy logs start times only): an upper bound. */
  durationMs: number | null;
}

/**
 * The reader, run with `node -e` (Electron: ELECTRON_RUN_AS_NODE). It opens the FIFO read-write, which on
 * Linux returns at once and never sees EOF, says "ready", and writes the trace when its stdin closes.
 * Kept as plain JavaScript text so it needs no file next to the bundle.
 */
export const traceReaderSource = String.raw`
const fs = require('node:fs');
const [fifo, out] = process.argv.slice(-2);
const fd = fs.openSync(fifo, fs.constants.O_RDWR);
const entries = [];
let current = null;
let expectTime = false;
function feed(line) {
  const head = /^(\d+): (C_\w+)\s*$/.exec(line);
  if (head) {
    if (current) entries.push(current);
    current = { seq: Number(head[1]), fn: head[2], rv: null, startedAt: '', durationMs: null };
    expectTime = true;
    return;
  }
  if (current && expectTime) {
    expectTime = false;
    const time = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})\s*$/.exec(line);
    if (time) { current.startedAt = time[1] + 'T' + time[2]; return; }
  }
  const returned = /^Returned:\s+\d+\s+(CKR_\w+|0x[0-9a-fA-F]+)/.exec(line);
  if (returned && current) current.rv = returned[1];
}
let buffer = '';
// A libuv pipe over the FIFO: non-blocking reads, so nothing holds the process when it exits.
const stream = new (require('node:net').Socket)({ fd, readable: true, writable: false });
stream.on('data', (chunk) => {
  buffer += chunk.toString('latin1');
  let i;
  while ((i = buffer.indexOf('\n')) >= 0) { feed(buffer.slice(0, i)); buffer = buffer.slice(i + 1); }
});
process.stdin.on('end', () => setTimeout(() => {
  if (buffer) feed(buffer);
  if (current) entries.push(current);
  const lines = entries.map((e, i) => {
    const next = entries[i + 1];
    const d = next && e.startedAt && next.startedAt ? Date.parse(next.startedAt) - Date.parse(e.startedAt) : NaN;
    return JSON.stringify({ ...e, durationMs: Number.isFinite(d) ? d : null }) + '\n';
  });
  fs.writeFileSync(out, lines.join(''), { mode: 0o600 });
  process.stdout.write('done ' + entries.length + '\n');
  process.exit(0);
}, 300));
process.stdin.resume();
process.stdout.write('ready\n');
`;

export interface Pkcs11Trace {
  /** Load this instead of the real module; the spy forwards every call to it. */
  readonly modulePath: string;
  /** Ends the trace: the reader writes outPath (JSON lines) and the FIFO is removed; returns the number of calls. */
  stop(): Promise<{ calls: number; path: string }>;
}

/** The installed pkcs11-spy, or null. */
export function findSpy(fileExists: (path: string) => boolean = existsSync): string | null {
  return spyCandidates.find((path) => fileExists(path)) ?? null;
}

function waitForLine(child: ChildProcess, prefix: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the trace reader did not answer "${prefix}"`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith(prefix));
      if (line) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the trace reader exited with ${code}`));
    });
  });
}

/**
 * Starts a trace of the calls to `realModule`. Sets PKCS11SPY and PKCS11SPY_OUTPUT in `env` (process.env by
 * default: the spy reads them with getenv when it is loaded), so start it before the module is loaded.
 */
export async function startPkcs11Trace(options: { realModule: string; outPath: string; spyPath?: string; env?: NodeJS.ProcessEnv }): Promise<Pkcs11Trace> {
  if (process.platform === 'win32') throw new Error('the PKCS#11 trace needs a POSIX FIFO');
  const spy = options.spyPath ?? findSpy();
  if (!spy) throw new Error('pkcs11-spy (OpenSC) is not installed');
  const env = options.env ?? process.env;
  const dir = mkdtempSync(join(tmpdir(), 'obnova-trace-'));
  const fifo = join(dir, 'spy.fifo');
  execFileSync('mkfifo', ['-m', '600', fifo]);
  const reader = spawn(process.execPath, ['-e', traceReaderSource, '--', fifo, options.outPath], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { PATH: process.env.PATH, ELECTRON_RUN_AS_NODE: '1' },
  });
  try {
    await waitForLine(reader, 'ready', 10_000);
  } catch (error) {
    reader.kill();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  env.PKCS11SPY = options.realModule;
  env.PKCS11SPY_OUTPUT = fifo;

  return {
    modulePath: spy,
    async stop() {
      const done = waitForLine(reader, 'done', 10_000);
      reader.stdin?.end();
      const line = await done.finally(() => {
        reader.kill();
        rmSync(dir, { recursive: true, force: true });
      });
      delete env.PKCS11SPY_OUTPUT;
      delete env.PKCS11SPY;
      return { calls: Number(line.split(' ')[1]), path: options.outPath };
    },
  };
}

/** Reads a trace file back. */
export function readTrace(path: string): TraceEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TraceEntry);
}
