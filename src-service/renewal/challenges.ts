/** Single-use nonces with a short expiry, kept in the database so every instance honours them. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { ChallengeResponse } from '../../src-shared/contract/protocol/challenge.js';
import type { RenewalDatabase } from './db/renewal-schema.js';

/** Issues a nonce valid for `ttlSeconds`; old rows are swept on the way (cheap, indexed by key). */
export async function createChallenge(db: Kysely<RenewalDatabase>, ttlSeconds: number, now = new Date()): Promise<ChallengeResponse> {
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  await db.insertInto('renewal_challenges').values({ nonce, created_at: now.toISOString(), expires_at: expiresAt, used_at: null, used_by: null }).execute();
  if (nonce.charCodeAt(0) % 64 === 0) {
    // About one call in 64 deletes day-old challenges, so the table stays small without a timer.
    await db.deleteFrom('renewal_challenges').where('expires_at', '<', new Date(now.getTime() - 86_400_000).toISOString()).execute();
  }
  return { nonce, expiresAt };
}

/**
 * Marks the nonce used, inside the caller's transaction: the conditional UPDATE is atomic, so two
 * requests (or two instances) racing with one nonce cannot both succeed.
 */
export async function consumeChallenge(db: Kysely<RenewalDatabase>, nonce: string, usedBy: string, now = new Date()): Promise<void> {
  const at = now.toISOString();
  const result = await db
    .updateTable('renewal_challenges')
    .set({ used_at: at, used_by: usedBy })
    .where('nonce', '=', nonce)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return;
  const row = await db.selectFrom('renewal_challenges').select(['used_at', 'expires_at']).where('nonce', '=', nonce).executeTakeFirst();
  if (!row) throw new ObnovaError('RENEWAL_CHALLENGE_UNKNOWN', 'the nonce was not issued by this service');
  if (row.used_at) throw new ObnovaError('RENEWAL_CHALLENGE_USED', 'the nonce was already used');
  throw new ObnovaError('RENEWAL_CHALLENGE_EXPIRED', `the nonce expired at ${row.expires_at}`);
}
