/**
 * Fixed-window request counters per client in the database (shared by every instance), and an
 * in-flight cap per instance that answers 503 instead of letting requests queue into timeouts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { RenewalDatabase } from './db/renewal-schema.js';

export interface RateLimitOptions {
  /** Requests per client per window. */
  limit: number;
  windowSeconds: number;
}

/** Counts a hit for `client`; RENEWAL_RATE_LIMITED (with retryAfter) past the limit. */
export async function hitRateLimit(db: Kysely<RenewalDatabase>, client: string, options: RateLimitOptions, now = Date.now()): Promise<void> {
  const windowMs = options.windowSeconds * 1000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const row = await db
    .insertInto('renewal_rate_limits')
    .values({ bucket: client, window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`renewal_rate_limits.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  if (Number(row.hits) > options.limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    throw new ObnovaError('RENEWAL_RATE_LIMITED', `more than ${options.limit} requests in ${options.windowSeconds} s`, { retryAfter });
  }
  if (Number(row.hits) === 1 && windowStart % (windowMs * 16) === 0) {
    // Now and then drop old windows so the table holds only the current ones.
    await db.deleteFrom('renewal_rate_limits').where('window_start', '<', windowStart - windowMs).execute();
  }
}

/** Counts requests in progress in this process. */
export class InFlight {
  private active = 0;
  constructor(readonly max: number) {}

  /** Enters, or RENEWAL_OVERLOADED when full. */
  enter(): void {
    if (this.active >= this.max) throw new ObnovaError('RENEWAL_OVERLOADED', `${this.active} requests in progress`, { retryAfter: 1 });
    this.active++;
  }

  leave(): void {
    this.active = Math.max(0, this.active - 1);
  }

  get count(): number {
    return this.active;
  }
}

/** A Fastify onRequest hook admitting a request or throwing RENEWAL_OVERLOADED / RENEWAL_RATE_LIMITED. */
export type AdmitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * The onRequest hook of every holder-facing route (/v1, CMP): a place among this instance's requests in
 * progress (given back when the response closes), then one hit on the client address's rate limit.
 */
export function admitRequests(db: Kysely<RenewalDatabase>, inFlight: InFlight, limit: RateLimitOptions): AdmitHook {
  return async (request, reply) => {
    inFlight.enter();
    reply.raw.once('close', () => inFlight.leave());
    await hitRateLimit(db, `ip:${request.ip}`, limit);
  };
}
