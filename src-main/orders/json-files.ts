/** Reading the app's JSON record files (orders, outbox entries): a file that is missing, torn or not valid is skipped, never fatal. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

/** The record in `path` checked against `schema`, or null when the file is missing, not JSON or not a valid record. */
export function readJsonRecord<T>(path: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Every valid record in the `*.json` files of `dir` (none when the folder does not exist yet). */
export function readJsonRecords<T>(dir: string, schema: z.ZodType<T>): T[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => readJsonRecord(join(dir, name), schema))
    .filter((record): record is T => record !== null);
}
