/**
 * The holder's orders in the app data folder, one JSON file each (atomic writes), so an order survives
 * closing the app and pulling the card. The access token lives apart, sealed by a SecretBox, mode 0600.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { type StoredOrder, storedOrderSchema } from '../../src-shared/contract/schemas/renewal-order.js';
import { writeFileAtomic } from './atomic-file.js';
import { readJsonRecord, readJsonRecords } from './json-files.js';
import { plainFileBox, type SecretBox } from './secret-box.js';

export interface OrderStore {
  readonly dir: string;
  list(): StoredOrder[];
  get(orderId: string): StoredOrder | null;
  save(order: StoredOrder): void;
  saveAccessToken(orderId: string, token: string): void;
  accessToken(orderId: string): string;
  remove(orderId: string): void;
}

/** Order ids become file names: only what the service issues (letters, digits, - and _). */
function fileStem(orderId: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(orderId)) throw new ObnovaError('INPUT_INVALID', 'order id has characters a file name cannot carry', { field: 'orderId' });
  return orderId;
}

export function createOrderStore(appDataDir: string, box: SecretBox = plainFileBox): OrderStore {
  const dir = join(appDataDir, 'orders');
  const jsonPath = (id: string) => join(dir, `${fileStem(id)}.json`);
  const tokenPath = (id: string) => join(dir, `${fileStem(id)}.token`);
  return {
    dir,
    list: () => readJsonRecords(dir, storedOrderSchema).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    get: (orderId) => readJsonRecord(jsonPath(orderId), storedOrderSchema),
    save: (order) => writeFileAtomic(jsonPath(order.orderId), `${JSON.stringify(storedOrderSchema.parse(order), null, 2)}\n`),
    saveAccessToken: (orderId, token) => writeFileAtomic(tokenPath(orderId), box.seal(token), 0o600),
    accessToken: (orderId) => {
      if (!existsSync(tokenPath(orderId))) throw new ObnovaError('ORDER_NOT_FOUND', 'no access token is stored for this order', { orderId });
      return box.open(new Uint8Array(readFileSync(tokenPath(orderId))));
    },
    remove: (orderId) => {
      rmSync(jsonPath(orderId), { force: true });
      rmSync(tokenPath(orderId), { force: true });
    },
  };
}
