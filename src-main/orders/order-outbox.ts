/**
 * Signed orders on their way to the service (an outbox): each is written here, fsynced, *before* it is sent,
 * and removed once the service answered — with the order, or with a refusal. An answer lost on the way leaves
 * it here, and it is sent again, byte for byte, until one arrives: the holder never signs twice, and the
 * service answers the same signed body with the order it made the first time.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { outgoingOrderSchema } from '../../src-shared/contract/schemas/renewal-order.js';
import { writeFileAtomic } from './atomic-file.js';
import { readJsonRecord, readJsonRecords } from './json-files.js';

const entrySchema = outgoingOrderSchema.extend({
  /** The CMS SignedData the card made over the order document (base64), sent unchanged every time. */
  cms: z.string(),
});
export type OutboxEntry = z.infer<typeof entrySchema>;

export interface OrderOutbox {
  list(): OutboxEntry[];
  get(id: string): OutboxEntry | null;
  /** Writes (or rewrites) the entry atomically, mode 0600: the signed order carries the billing data. */
  put(entry: OutboxEntry): void;
  remove(id: string): void;
}

export function createOrderOutbox(appDataDir: string): OrderOutbox {
  const dir = join(appDataDir, 'orders', 'outbox');
  const path = (id: string): string => {
    if (!/^[a-f0-9]{16,64}$/.test(id)) throw new Error('outbox ids are hex');
    return join(dir, `${id}.json`);
  };
  return {
    list: () => readJsonRecords(dir, entrySchema).sort((a, b) => a.signedAt.localeCompare(b.signedAt)),
    get: (id) => readJsonRecord(path(id), entrySchema),
    put: (entry) => writeFileAtomic(path(entry.id), `${JSON.stringify(entrySchema.parse(entry))}\n`, 0o600),
    remove: (id) => rmSync(path(id), { force: true }),
  };
}
