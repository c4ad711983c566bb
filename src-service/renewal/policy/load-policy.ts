/**
 * Market policies are data (si.json, rs.json, imported so that the built obnova-ca carries them, or an
 * operator's folder), validated once: a price whose VAT does not add up,
 * a payee account that fails its check digits or a purpose code of the wrong market is refused,
 * so the service does not start with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { policySchema, type Market, type Policy } from '../../../src-shared/contract/protocol/policy.js';
import { payeeAccountProblem } from './payee-account.js';
import rs from './rs.json' with { type: 'json' };
import si from './si.json' with { type: 'json' };

const shipped: Record<Market, unknown> = { si, rs };
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
  const accountProblem = payeeAccountProblem(parsed.data);
  if (accountProblem) throw new ObnovaError('CA_PAYEE_ACCOUNT_INVALID', `${source}: ${accountProblem}`, { file: source });
  const codeProblem = paymentCodeProblem(parsed.data);
  if (codeProblem) throw new ObnovaError('CA_CONFIG_INVALID', `${source}: ${codeProblem}`, { file: source });
  return parsed.data;
}

/** UPN QR wants a four-letter ISO 20022 purpose code and SI12; NBS IPS QR a payment code 1xx/2xx and model 97. */
function paymentCodeProblem(policy: Policy): string | null {
  const upn = policy.paymentQr === 'upn-qr';
  if (upn && !/^[A-Z]{4}$/.test(policy.payee.purposeCode)) return `payee.purposeCode ${policy.payee.purposeCode} is not four capital letters (UPN purpose code)`;
  if (!upn && !/^[12][0-9]{2}$/.test(policy.payee.purposeCode)) return `payee.purposeCode ${policy.payee.purposeCode} is not a payment code of three digits starting 1 or 2 (NBS)`;
  if (policy.payee.referenceModel !== (upn ? 'SI12' : '97')) return `payee.referenceModel ${policy.payee.referenceModel} does not go with ${policy.paymentQr}`;
  return null;
}

/** The policy for a market; `dir` overrides the folder (an operator's own policy files). */
export function loadPolicy(market: Market, dir?: string): Policy {
  const file = dir === undefined ? `shipped ${market}.json` : join(dir, `${market}.json`);
  let policy = cache.get(file);
  if (!policy) {
    policy = parsePolicy(dir === undefined ? shipped[market] : JSON.parse(readFileSync(file, 'utf8')), file);
    cache.set(file, policy);
  }
  return policy;
}
