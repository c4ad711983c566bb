/** What the renewal service says about each demo card (POST /v1/eligibility), as the app would ask. */
import type { BuiltCard } from './build-pki.js';

export interface Verdict {
  eligible: boolean;
  path: string | null;
  codes: string[];
}

/** Asks `serviceUrl` about the card's current certificate. */
export async function askEligibility(serviceUrl: string, card: BuiltCard): Promise<Verdict> {
  const response = await fetch(`${serviceUrl}/v1/eligibility`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ certificate: Buffer.from(card.certificate).toString('base64') }),
  });
  const body = (await response.json()) as { eligible?: boolean; path?: string | null; reasons?: { code: string }[]; code?: string };
  if (!response.ok) throw new Error(`POST /v1/eligibility answered ${response.status} ${body.code ?? ''}`);
  return { eligible: body.eligible === true, path: body.path ?? null, codes: (body.reasons ?? []).map((r) => r.code) };
}

/** True when the service's verdict is the one the demo card was made for. */
export function verdictMatches(actual: Verdict, expected: Verdict): boolean {
  return actual.eligible === expected.eligible && actual.path === expected.path && actual.codes.join(',') === expected.codes.join(',');
}
