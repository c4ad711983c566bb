/**
 * The app's structured log: pino to stderr and to rotating files in `<appData>/logs`, with the same
 * key-based redaction as src-main/app/logger.ts plus a scrub of values that look like secrets.
 */
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { redactionPaths } from '../app/logger.js';
import { createRotatingFile, type RotatingFile } from './rotating-file.js';

/** The folder of the log files inside the app data folder. */
export const logsDirName = 'logs';

export interface AppLoggerOptions {
  appDataDir: string;
  level?: string;
  /** Also write to stderr (default true; the CLI turns it off to keep its own output clean). */
  stderr?: boolean;
  maxBytes?: number;
  keep?: number;
}

/** A logger writing JSON lines to rotating files under `<appDataDir>/logs` (and stderr). */
export function createAppLogger(options: AppLoggerOptions): { log: Logger; file: RotatingFile } {
  const file = createRotatingFile({ dir: join(options.appDataDir, logsDirName), maxBytes: options.maxBytes, keep: options.keep });
  const streams: pino.StreamEntry[] = [{ stream: file, level: 'trace' }];
  if (options.stderr !== false) streams.push({ stream: pino.destination({ fd: 2, sync: true }), level: 'trace' });
  const log = pino(
    {
      level: options.level ?? 'info',
      base: { app: 'obnova' },
      redact: { paths: redactionPaths(), censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream(streams),
  );
  return { log, file };
}
