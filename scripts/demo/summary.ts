/** What the demo prints at the end: where the app and services are, and each card with its PIN mailer. */
import type { BuiltCard } from './build-pki.js';
import type { DemoCard } from './demo-cards.js';
import type { Verdict } from './eligibility.js';
import type { DemoLayout } from './layout.js';

/** The name the certificate carries: the company for a legal entity, else the person. */
export function holderName(card: DemoCard): string {
  return card.holder.kind === 'legal' ? `${card.holder.legalName!} (${card.holder.givenName} ${card.holder.surname})` : `${card.holder.givenName} ${card.holder.surname}`;
}

function verdictText(v: Verdict): string {
  if (v.eligible) return `eligible, ${v.path}`;
  return `${v.codes.join(', ')}${v.path ? ` → ${v.path}` : ''}`;
}

export interface SummaryInput {
  layout: DemoLayout;
  appUrl: string | null;
  services: { market: string; url: string; adminUrl: string }[];
  cards: { built: BuiltCard; verdict: Verdict }[];
  startedInMs: number;
}

/** The summary as lines of text. */
export function summaryLines(input: SummaryInput): string[] {
  const { layout } = input;
  const si = input.services.find((s) => s.market === 'si');
  const lines = [
    '',
    `Obnova demo is running (started in ${(input.startedInMs / 1000).toFixed(1)} s).`,
    '',
    input.appUrl ? `  App (web mode)     ${input.appUrl}` : '  App                the Obnova window (Electron)',
    ...input.services.map((s) => `  Service ${s.market.toUpperCase()}         ${s.url}`),
    '',
    'Demo cards (one SoftHSM token each; module /usr/lib/softhsm/libsofthsm2.so):',
  ];
  const w = Math.max(...input.cards.map((c) => c.built.card.tokenLabel.length));
  const h = Math.max(...input.cards.map((c) => holderName(c.built.card).length));
  for (const { built, verdict } of input.cards) {
    lines.push(`  ${built.card.tokenLabel.padEnd(w)}  ${holderName(built.card).padEnd(h)}  PIN ${built.pin}  PUK ${built.puk}  [${built.card.market.toUpperCase()}]`);
    lines.push(`  ${''.padEnd(w)}  ${built.card.state}; service says: ${verdictText(verdict)}`);
  }
  lines.push(
    '',
    `Payments are confirmed by the demo service ${layout.autoConfirmMs / 1000} s after an order is placed.`,
    'Helpdesk back office (admin API on loopback, bearer token):',
    ...input.services.map((s) => `  ${s.market.toUpperCase()}  ${s.adminUrl}/admin/orders   token ${layout.adminToken}`),
    `  e.g. curl -X POST -H "Authorization: Bearer ${layout.adminToken}" ${si?.adminUrl ?? ''}/admin/orders/ORDER/mark-paid`,
    `  or   npm run obnova-ca -- orders list --dir ${layout.caDir('si')}   (orders mark-paid ORDER --dir …)`,
    `  A new card for a new-media order (Demo renewed once): npm run obnova-ca -- cards produce ORDER --token-label "Demo new card" --dir ${layout.caDir('si')}`,
    '  (prints its PIN and PUK; the demo hands the card over), then POST …/admin/orders/ORDER/ship and …/delivered.',
    '',
    'The RS legal entity belongs to the RS service: to see its verdict in the app, set Settings → service URL',
    `to ${input.services.find((s) => s.market === 'rs')?.url ?? ''}.`,
    `Everything lives in ${layout.dir} (made afresh on each run).`,
  );
  return lines;
}
