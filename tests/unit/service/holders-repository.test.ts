import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src-service/db/audit-log.js';
import { openDatabase, type DatabaseHandle } from '../../../src-service/db/connection.js';
import { changeHolder, createHolder, registerCard } from '../../../src-service/db/holders-repository.js';
import { migrateToLatest } from '../../../src-service/db/migrate.js';

describe('holder registry (SQLite in memory)', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = openDatabase('sqlite::memory:');
    await migrateToLatest(handle);
  });
  afterAll(async () => handle.db.destroy());

  it('changes registered data with a new data version and an audit entry naming the fields', async () => {
    const holder = await createHolder(handle.db, { kind: 'natural', country: 'SI', givenName: 'Ana', surname: 'Novak', personalNumber: '0101990500123' }, 'ro-1', 'H1');
    expect(holder.dataVersion).toBe(1);
    const changed = await changeHolder(handle.db, 'H1', { surname: 'Kranjc', email: 'ana@example.si' }, 'ro-2');
    expect(changed).toMatchObject({ surname: 'Kranjc', email: 'ana@example.si', dataVersion: 2 });
    const same = await changeHolder(handle.db, 'H1', { surname: 'Kranjc' }, 'ro-2');
    expect(same.dataVersion).toBe(2);
    const audit = await listAudit(handle.db, 'H1');
    expect(audit.map((a) => [a.action, a.actor, a.details])).toEqual([
      ['holder.create', 'ro-1', { kind: 'natural' }],
      ['holder.change', 'ro-2', { fields: 'surname,email', dataVersion: 2 }],
    ]);
  });

  it('refuses invalid data, unknown holders, and legal fields on a natural person', async () => {
    await expect(createHolder(handle.db, { kind: 'natural', country: 'Slovenia', givenName: 'A', surname: 'B', personalNumber: '0101990500123' } as never, 'ro')).rejects.toMatchObject({
      code: 'CA_HOLDER_INVALID',
    });
    await expect(changeHolder(handle.db, 'NOPE', { surname: 'X' }, 'ro')).rejects.toMatchObject({ code: 'CA_HOLDER_NOT_FOUND' });
    await expect(changeHolder(handle.db, 'H1', { legalName: 'X d.o.o.' }, 'ro')).rejects.toMatchObject({ code: 'CA_HOLDER_INVALID' });
  });

  it('binds a card serial to one holder only', async () => {
    await createHolder(handle.db, { kind: 'natural', country: 'SI', givenName: 'Eva', surname: 'Zupan', personalNumber: '0303970500789' }, 'ro', 'H2');
    const card = await registerCard(handle.db, 'H1', 'TOKEN-1', 'Ana card', 'ro');
    expect(await registerCard(handle.db, 'H1', 'TOKEN-1', 'Ana card', 'ro')).toEqual(card);
    await expect(registerCard(handle.db, 'H2', 'TOKEN-1', 'x', 'ro')).rejects.toMatchObject({ code: 'CA_CARD_ALREADY_REGISTERED' });
  });
});
