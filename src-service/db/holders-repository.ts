/** Holders and their cards: create, read, change registered data (each change audited). */
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { holderChangeSchema, newHolderSchema, type Holder, type HolderChange, type NewHolder } from '../holders/holder-schema.js';
import { appendAudit } from './audit-log.js';
import type { CardsTable, Database, HoldersTable } from './schema.js';

export interface Card {
  id: string;
  holderId: string;
  tokenSerial: string;
  tokenLabel: string;
  createdAt: string;
}

function toHolder(row: Selectable<HoldersTable>): Holder {
  return {
    id: row.id,
    kind: row.kind,
    country: row.country,
    givenName: row.given_name,
    surname: row.surname,
    personalNumber: row.personal_number,
    email: row.email,
    legalName: row.legal_name,
    organizationId: row.organization_id,
    dataVersion: Number(row.data_version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toCard(row: Selectable<CardsTable>): Card {
  return { id: row.id, holderId: row.holder_id, tokenSerial: row.token_serial, tokenLabel: row.token_label, createdAt: row.created_at };
}

function inputError(error: { issues: { path: PropertyKey[]; message: string }[] }): ObnovaError {
  const first = error.issues[0];
  return new ObnovaError('CA_HOLDER_INVALID', `holder data invalid: ${first ? `${first.path.join('.')}: ${first.message}` : 'unknown'}`, {
    field: first ? first.path.join('.') : null,
  });
}

/** Registers a holder; `id` is generated unless given. */
export async function createHolder(db: Kysely<Database>, input: NewHolder, actor: string, id?: string): Promise<Holder> {
  const parsed = newHolderSchema.safeParse(input);
  if (!parsed.success) throw inputError(parsed.error);
  const data = parsed.data;
  const now = new Date().toISOString();
  const holderId = id ?? `H${randomBytes(6).toString('hex').toUpperCase()}`;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('holders')
      .values({
        id: holderId,
        kind: data.kind,
        country: data.country,
        given_name: data.givenName,
        surname: data.surname,
        personal_number: data.personalNumber,
        email: data.email,
        legal_name: data.kind === 'legal' ? data.legalName : null,
        organization_id: data.kind === 'legal' ? data.organizationId : null,
        data_version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await appendAudit(trx, { actor, action: 'holder.create', subject: holderId, details: { kind: data.kind } });
  });
  return getHolder(db, holderId);
}

/** The holder, or CA_HOLDER_NOT_FOUND. */
export async function getHolder(db: Kysely<Database>, id: string): Promise<Holder> {
  const row = await db.selectFrom('holders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ObnovaError('CA_HOLDER_NOT_FOUND', `no holder ${id}`, { holderId: id });
  return toHolder(row);
}

/** All holders, oldest first. */
export async function listHolders(db: Kysely<Database>): Promise<Holder[]> {
  return (await db.selectFrom('holders').selectAll().orderBy('created_at').orderBy('id').execute()).map(toHolder);
}

/**
 * Changes registered data (as a registration office would) and bumps data_version, so the
 * renewal service can tell that a certificate no longer matches its holder's data.
 */
export async function changeHolder(db: Kysely<Database>, id: string, change: HolderChange, actor: string): Promise<Holder> {
  const parsed = holderChangeSchema.safeParse(change);
  if (!parsed.success) throw inputError(parsed.error);
  const current = await getHolder(db, id);
  const data = parsed.data;
  if (current.kind === 'natural' && (data.legalName !== undefined || data.organizationId !== undefined)) {
    throw new ObnovaError('CA_HOLDER_INVALID', 'a natural person has no legal name or organisation id', { holderId: id });
  }
  const columns: Partial<Pick<HoldersTable, 'given_name' | 'surname' | 'personal_number' | 'email' | 'legal_name' | 'organization_id'>> = {};
  if (data.givenName !== undefined && data.givenName !== current.givenName) columns.given_name = data.givenName;
  if (data.surname !== undefined && data.surname !== current.surname) columns.surname = data.surname;
  if (data.personalNumber !== undefined && data.personalNumber !== current.personalNumber) columns.personal_number = data.personalNumber;
  if (data.email !== undefined && data.email !== current.email) columns.email = data.email;
  if (data.legalName !== undefined && data.legalName !== current.legalName) columns.legal_name = data.legalName;
  if (data.organizationId !== undefined && data.organizationId !== current.organizationId) columns.organization_id = data.organizationId;
  const changed = Object.keys(columns);
  if (changed.length === 0) return current;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('holders')
      .set({ ...columns, data_version: current.dataVersion + 1, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, { actor, action: 'holder.change', subject: id, details: { fields: changed.join(','), dataVersion: current.dataVersion + 1 } });
  });
  return getHolder(db, id);
}

/** Registers a card (token serial) for a holder; a serial belongs to one holder only. */
export async function registerCard(db: Kysely<Database>, holderId: string, tokenSerial: string, tokenLabel: string, actor: string): Promise<Card> {
  await getHolder(db, holderId);
  const existing = await findCardBySerial(db, tokenSerial);
  if (existing) {
    if (existing.holderId !== holderId) {
      throw new ObnovaError('CA_CARD_ALREADY_REGISTERED', `token ${tokenSerial} belongs to another holder`, { tokenSerial });
    }
    return existing;
  }
  const card = { id: `C${randomBytes(6).toString('hex').toUpperCase()}`, holder_id: holderId, token_serial: tokenSerial, token_label: tokenLabel, created_at: new Date().toISOString() };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('cards').values(card).execute();
    await appendAudit(trx, { actor, action: 'card.register', subject: card.id, details: { holderId, tokenSerial } });
  });
  return toCard(card);
}

/** The card with this token serial, or null. */
export async function findCardBySerial(db: Kysely<Database>, tokenSerial: string): Promise<Card | null> {
  const row = await db.selectFrom('cards').selectAll().where('token_serial', '=', tokenSerial).executeTakeFirst();
  return row ? toCard(row) : null;
}

/** A holder's cards. */
export async function listCards(db: Kysely<Database>, holderId: string): Promise<Card[]> {
  return (await db.selectFrom('cards').selectAll().where('holder_id', '=', holderId).orderBy('created_at').execute()).map(toCard);
}
