/** `obnova-ca holders add|list|show|change`: the registration office's view of the holder registry. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { listCertificatesOfHolder } from '../db/certificates-repository.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { changeHolder, createHolder, getHolder, listCards, listHolders } from '../db/holders-repository.js';
import type { HolderChange, NewHolder } from '../holders/holder-schema.js';
import { actor, caDir, type CliIo } from './args.js';

const fieldOptions = {
  'given-name': { type: 'string' },
  surname: { type: 'string' },
  'personal-number': { type: 'string' },
  email: { type: 'string' },
  'legal-name': { type: 'string' },
  'organization-id': { type: 'string' },
} as const;

export async function holdersCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { dir: { type: 'string' }, json: { type: 'boolean' }, kind: { type: 'string' }, country: { type: 'string' }, id: { type: 'string' }, ...fieldOptions },
  });
  const config = loadConfig(caDir(values, io.env), io.env);
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle);
    const db = handle.db;
    const print = (value: unknown, text: string) => io.out(values.json ? JSON.stringify(value, null, 2) : text);
    switch (sub) {
      case 'add': {
        const input = {
          kind: values.kind,
          country: values.country ?? (config.market === 'rs' ? 'RS' : 'SI'),
          givenName: values['given-name'],
          surname: values.surname,
          personalNumber: values['personal-number'],
          email: values.email ?? null,
          legalName: values['legal-name'],
          organizationId: values['organization-id'],
        } as NewHolder;
        const holder = await createHolder(db, input, actor(io.env), values.id);
        print(holder, `holder ${holder.id} registered (${holder.kind}, ${holder.givenName} ${holder.surname}${holder.legalName ? `, ${holder.legalName}` : ''})`);
        return 0;
      }
      case 'list': {
        const holders = await listHolders(db);
        print(holders, holders.map((h) => `${h.id}  ${h.kind.padEnd(7)}  ${h.givenName} ${h.surname}${h.legalName ? ` (${h.legalName})` : ''}  v${h.dataVersion}`).join('\n'));
        return 0;
      }
      case 'show': {
        const holder = await getHolder(db, positionals[0] ?? '');
        const cards = await listCards(db, holder.id);
        const certificates = (await listCertificatesOfHolder(db, holder.id)).map(({ der: _der, ...c }) => ({ ...c, dataChanged: c.holderDataVersion !== holder.dataVersion }));
        print(
          { holder, cards, certificates },
          [
            `${holder.id} ${holder.kind} ${holder.givenName} ${holder.surname} (data version ${holder.dataVersion})`,
            ...cards.map((c) => `  card ${c.id} token ${c.tokenSerial} "${c.tokenLabel}"`),
            ...certificates.map((c) => `  cert ${c.serial} ${c.status} ${c.kind} until ${c.notAfter}${c.dataChanged ? ' (holder data changed since issuance)' : ''}`),
          ].join('\n'),
        );
        return 0;
      }
      case 'change': {
        const change: HolderChange = {};
        if (values['given-name'] !== undefined) change.givenName = values['given-name'];
        if (values.surname !== undefined) change.surname = values.surname;
        if (values['personal-number'] !== undefined) change.personalNumber = values['personal-number'];
        if (values.email !== undefined) change.email = values.email;
        if (values['legal-name'] !== undefined) change.legalName = values['legal-name'];
        if (values['organization-id'] !== undefined) change.organizationId = values['organization-id'];
        const holder = await changeHolder(db, positionals[0] ?? '', change, actor(io.env));
        print(holder, `holder ${holder.id} now at data version ${holder.dataVersion}`);
        return 0;
      }
      default:
        io.err('usage: obnova-ca holders add|list|show ID|change ID [--dir DIR] [--json] …');
        return 2;
    }
  } finally {
    await handle.db.destroy();
  }
}
