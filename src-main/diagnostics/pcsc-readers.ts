/**
 * PC/SC readers and the ATRs of the cards in them, read with OpenSC's `opensc-tool` (`-l`, then `-r N -a`),
 * which talks to the same PC/SC service (pcscd, WinSCard) the middleware uses.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A reader as `opensc-tool -l` lists it. */
export interface ListedReader {
  index: number;
  name: string;
  cardPresent: boolean;
}

export interface PcscScan {
  tool: 'opensc-tool' | null;
  serviceAvailable: boolean;
  readers: Array<{ name: string; atr: string | null }>;
}

/** Runs a program and returns its stdout, or null when it is not installed; never throws for a non-zero exit. */
export type RunTool = (file: string, args: string[]) => Promise<{ stdout: string; code: number } | null>;

const defaultRun: RunTool = (file, args) =>
  new Promise((resolve) => {
    execFile(file, args, { timeout: 10_000, encoding: 'utf8', windowsHide: true }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve(null);
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ stdout: String(stdout ?? ''), code });
    });
  });

/**
 * Parses `opensc-tool -l`:
 * ```
 * # Detected readers (pcsc)
 * Nr.  Card  Features  Name
 * 0    Yes             Virtual PCD 00 00
 * ```
 * The Features column may be empty or hold words such as "PIN pad"; the name is what follows it.
 */
export function parseOpenscReaderList(stdout: string): ListedReader[] {
  const readers: ListedReader[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^(\d+)\s+(Yes|No|\?)\s+(.*)$/.exec(line.trim());
    if (!match) continue;
    let rest = match[3]!.trim();
    // Features opensc-tool knows how to print; they stand between the Card column and the name.
    for (const feature of ['PIN pad', 'Display']) {
      if (rest.startsWith(feature)) rest = rest.slice(feature.length).replace(/^[,\s]+/, '');
    }
    readers.push({ index: Number(match[1]), name: rest, cardPresent: match[2] === 'Yes' });
  }
  return readers;
}

/** The ATR line of `opensc-tool -a` (lowercase hex with ":"), as upper-case hex with ":"; null if absent. */
export function parseOpenscAtr(stdout: string): string | null {
  for (const line of stdout.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (/^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2})+$/.test(trimmed)) return trimmed.toUpperCase();
  }
  return null;
}

/** Whether the PC/SC service can be reached: on Linux, pcsc-lite's socket exists (socket-activated or running). */
export function pcscServiceAvailable(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  return existsSync(env.PCSCLITE_CSOCK_NAME || '/run/pcscd/pcscd.comm');
}

/** Lists readers and the ATR of each present card; `tool: null` when opensc-tool is not installed. */
export async function scanPcscReaders(options: { run?: RunTool; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {}): Promise<PcscScan> {
  const run = options.run ?? defaultRun;
  const serviceAvailable = pcscServiceAvailable(options.env, options.platform);
  const listed = await run('opensc-tool', ['-l']);
  if (listed === null) return { tool: null, serviceAvailable, readers: [] };
  const readers: PcscScan['readers'] = [];
  for (const reader of parseOpenscReaderList(listed.stdout)) {
    let atr: string | null = null;
    if (reader.cardPresent) {
      const answer = await run('opensc-tool', ['-r', String(reader.index), '-a']);
      atr = answer ? parseOpenscAtr(answer.stdout) : null;
    }
    readers.push({ name: reader.name, atr });
  }
  return { tool: 'opensc-tool', serviceAvailable, readers };
}
