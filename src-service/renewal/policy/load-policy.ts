/** Market policies are data (si.json, rs.json), validated once; a price whose VAT does not add up is refused. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { policySchema, type Market, type Policy } from '../../../src-shared/contract/protocol/policy.js';

const here = dirname(fileURLToPath(import.meta.url));
const cache = new Map<string, Policy>();

/** VAT of a net amount in minor units, rounded half up (the invoice rule in both markets). */
export function vatOf(net: number, basisPoints: number): number {
  return Math.floor((net * basisPoints + 5000) / 10_000);
}

/** Parses and checks a policy object. */
export function parsePolicy(raw: unknown, source: string): Policy {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ObnovaError('CA_CONFIG_INVALID', `${source}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { file: source });
  }
  for (const [path, price] of Object.entries(parsed.data.prices)) {
    if (price.vat !== vatOf(price.net, parsed.data.vatBasisPoints) || price.gross !== price.net + price.vat) {
      throw new ObnovaError('CA_CONFIG_INVALID', `${source}: price for ${path} does not add up with VAT ${parsed.data.vatBasisPoints / 100} %`, { file: source });
    }
  }
  return parsed.data;
}

/** The policy for a market; `dir` overrides the folder (an operator's own policy files). */
export function loadPolicy(market: Market, dir = here): Policy {
  const file = join(dir, `${market}.json`);
  let policy = cache.get(file);
  if (!policy) {
    policy = parsePolicy(JSON.parse(readFileSync(file, 'utf8')), file);
    cache.set(file, policy);
  }
  return policy;
}
