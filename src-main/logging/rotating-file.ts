/**
 * A synchronous append-only log file that rotates by size: obnova.log → obnova.1.log → … → obnova.N.log.
 * Synchronous so that the last lines before a crash are on disk; small enough that the cost does not matter.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface RotatingFileOptions {
  dir: string;
  /** Base name without extension (default "obnova"). */
  name?: string;
  /** Rotate when the current file would pass this size (default 1 MiB). */
  maxBytes?: number;
  /** How many rotated files to keep besides the current one (default 4). */
  keep?: number;
}

/** A pino-compatible destination (`write(line)`) backed by rotating files. */
export interface RotatingFile {
  readonly path: string;
  write(chunk: string): boolean;
  /** The current file and the rotated ones, newest first, that exist. */
  files(): string[];
}

/** Opens (creating the folder) a rotating log file. */
export function createRotatingFile(options: RotatingFileOptions): RotatingFile {
  const name = options.name ?? 'obnova';
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = options.keep ?? 4;
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const fileAt = (index: number): string => join(options.dir, index === 0 ? `${name}.log` : `${name}.${index}.log`);
  const path = fileAt(0);
  let size = existsSync(path) ? statSync(path).size : 0;

  const rotate = (): void => {
    rmSync(fileAt(keep), { force: true });
    for (let index = keep - 1; index >= 0; index--) {
      if (existsSync(fileAt(index))) renameSync(fileAt(index), fileAt(index + 1));
    }
    size = 0;
  };

  return {
    path,
    write(chunk) {
      const bytes = Buffer.byteLength(chunk);
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(path, chunk, { mode: 0o600 });
      size += bytes;
      return true;
    },
    files() {
      const out: string[] = [];
      for (let index = 0; index <= keep; index++) if (existsSync(fileAt(index))) out.push(fileAt(index));
      return out;
    },
  };
}
