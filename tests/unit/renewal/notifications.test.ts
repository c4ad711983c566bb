import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { renewalMigration } from '../../../src-service/db/migrations/0002-renewal.js';
import type { RenewalDatabase } from '../../../src-service/renewal/db/renewal-schema.js';
import { markNotificationsSent, pendingNotifications, queueNotification } from '../../../src-service/renewal/notifications.js';
import type { Order } from '../../../src-service/renewal/orders/order-repository.js';

const order = (locale: string, path: Order['path'] = 'existing-media'): Order =>
  ({ id: 'R1234567890', locale, path, email: 'h@example.si', gross: 6100, currency: 'EUR', reference: 'SI12123456789006', dueAt: '2026-12-10T10:00:00.000Z' }) as Order;

describe('notification outbox', () => {
  it('renders each locale and queues until marked sent', async () => {
    const db = new Kysely<RenewalDatabase>({ dialect: new SqliteDialect({ database: new Sqlite(':memory:') }) });
    await db.schema.createTable('holders').addColumn('id', 'text', (c) => c.primaryKey()).execute();
    await renewalMigration('sqlite').up(db);
    for (const locale of ['sl', 'sr-Latn', 'sr-Cyrl', 'en', 'de']) await queueNotification(db, order(locale), 'order-placed');
    await queueNotification(db, order('sr-Cyrl', 'new-media'), 'payment-received');
    const pending = await pendingNotifications(db);
    expect(pending.map((n) => n.locale)).toEqual(['sl', 'sr-Latn', 'sr-Cyrl', 'en', 'en', 'sr-Cyrl']);
    expect(pending[0]!.body).toContain('61,00 EUR, referenca SI12123456789006, rok 2026-12-10');
    expect(pending[1]!.subject).toBe('Porudžbina obnove R1234567890');
    expect(pending[2]!.subject).toBe('Поруџбина обнове R1234567890');
    expect(pending[5]!.body).toContain('ПИН и ПУК');
    await markNotificationsSent(db, pending.slice(0, 2).map((n) => Number(n.id)));
    expect(await pendingNotifications(db)).toHaveLength(4);
    await db.destroy();
  });
});
