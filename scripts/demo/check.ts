/**
 * `npm run demo -- --check`: what the running demo must show. Through the app's bridge: every demo
 * token and its holder's certificate, the app's own renewal check against the demo service, and one
 * renewal walked end to end on the expiring card (order → payment confirmed by the demo service →
 * new certificate received on the card) and the new-media path on the card renewed once (new card made
 * by the back office, handed over, recognised by the app). Through the services: /healthz and verdicts.
 */
import type { WebMode } from '../../tests/helpers/e2e/web-mode.js';
import { bridgeCall } from './app.js';
import type { BuiltCard } from './build-pki.js';
import { verdictMatches, type Verdict } from './eligibility.js';
import type { RunningService } from './services.js';
import { holderName } from './summary.js';

interface ListedCertificate {
  tokenLabel: string;
  slotId: string;
  objectId: string;
  subjectCommonName?: string | null;
  serialNumber?: string;
  isCertificateAuthority?: boolean;
}

export interface AppVerdict {
  eligible: boolean;
  path: string | null;
  serviceProblem: string | null;
}

export interface CheckReport {
  cards: { id: string; tokenLabel: string; holder: string; appHolder: string | null; listed: boolean; verdict: Verdict; app: AppVerdict | null }[];
  /** The renewal walked on the expiring card: statuses seen and the new certificate's serial. */
  renewal: { orderId: string; statuses: string[]; newSerial: string | null; paidAfterMs: number } | null;
  /** The new-media walk on the card renewed once. */
  newCard: { orderId: string; statuses: string[]; newSerial: string | null } | null;
}

/** Places an order through the app (prepare, sign with the card's PIN) and waits until it leaves awaiting-payment. */
async function placeAndWaitPaid(web: WebMode, built: BuiltCard, entry: ListedCertificate): Promise<{ orderId: string; statuses: string[]; paidAfterMs: number }> {
  const ref = { slotId: entry.slotId, objectId: entry.objectId };
  const preparation = await bridgeCall<{ nonce: string; market: 'si' | 'rs'; certificateSerial: string }>(web, 'renewal.prepareOrder', ref);
  const document = {
    type: 'obnova.renewal-order',
    version: 1,
    market: preparation.market,
    nonce: preparation.nonce,
    certificateSerial: preparation.certificateSerial,
    billing: { name: holderName(built.card), street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null },
    email: built.card.holder.email,
    locale: 'sl',
  };
  const placed = await bridgeCall<{ orderId: string; status: string }>(web, 'renewal.placeOrder', { certificate: ref, document, pin: built.pin });
  const placedAt = Date.now();
  let status = placed.status;
  while (status === 'awaiting-payment' && Date.now() - placedAt < 20_000) {
    await new Promise((r) => setTimeout(r, 300));
    status = (await bridgeCall<{ status: string }>(web, 'orders.refresh', { orderId: placed.orderId })).status;
  }
  return { orderId: placed.orderId, statuses: [placed.status, status], paidAfterMs: Date.now() - placedAt };
}

async function walkRenewal(web: WebMode, built: BuiltCard, entry: ListedCertificate, problems: string[]): Promise<CheckReport['renewal']> {
  const { orderId, statuses, paidAfterMs } = await placeAndWaitPaid(web, built, entry);
  if (statuses.at(-1) !== 'ready-for-pickup') {
    problems.push(`order ${orderId} is ${statuses.at(-1)}, not ready for pickup: the demo service did not confirm the payment`);
    return { orderId, statuses, newSerial: null, paidAfterMs };
  }
  const received = await bridgeCall<{ status: string; serial: string }>(web, 'renewal.receive', { orderId, pin: built.pin });
  return { orderId, statuses: [...statuses, received.status], newSerial: received.serial, paidAfterMs };
}

/**
 * The new-media path on the card renewed once: the back office makes the new card (`obnova-ca cards
 * produce`, as a helpdesk person would), the courier hands it over, ship and delivered (admin API),
 * and the app, restarted, recognises the inserted card and completes the order.
 */
async function walkNewCard(web: WebMode, built: BuiltCard, entry: ListedCertificate, back: BackOffice, problems: string[]): Promise<CheckReport['newCard']> {
  const { orderId, statuses } = await placeAndWaitPaid(web, built, entry);
  if (statuses.at(-1) !== 'paid') {
    problems.push(`new-media order ${orderId} is ${statuses.at(-1)}, not paid`);
    return { orderId, statuses, newSerial: null };
  }
  const produced = JSON.parse(await back.caCli(['cards', 'produce', orderId, '--token-label', 'Demo new card', '--json'])) as { serial: string };
  statuses.push('card-in-production');
  await back.delivered();
  for (const step of ['ship', 'delivered']) await back.admin(`/admin/orders/${orderId}/${step}`);
  // SoftHSM shows tokens made by another process only after C_Finalize + C_Initialize, which the app does
  // only while no card session is open (sessions idle out after 10 minutes): the holder restarts the app.
  web = await back.reopenApp();
  let view = await bridgeCall<{ status: string; found: boolean; serial: string | null }>(web, 'renewal.completeNewCard', { orderId });
  for (let i = 0; i < 10 && view.status !== 'completed'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    view = await bridgeCall(web, 'renewal.completeNewCard', { orderId });
  }
  statuses.push(view.status);
  if (view.status !== 'completed' || view.serial !== produced.serial) problems.push(`new card for ${orderId}: ${JSON.stringify(view)}, expected completed with ${produced.serial}`);
  return { orderId, statuses, newSerial: view.serial };
}

/** What the new-media walk needs from the demo: the CA's command line and the courier. */
export interface BackOffice {
  caCli(args: string[]): Promise<string>;
  /** POST to the SI back office's admin API with its token. */
  admin(path: string): Promise<void>;
  /** Resolves once the courier has moved a newly produced card to the cards' store. */
  delivered(): Promise<void>;
  /** Stops and starts the app again (same app data: its orders and settings stay). */
  reopenApp(): Promise<WebMode>;
}

/** Runs every check; `problems` is empty when the demo is as it should be. */
export async function checkDemo(
  web: WebMode,
  services: RunningService[],
  cards: { built: BuiltCard; verdict: Verdict }[],
  back: BackOffice,
): Promise<{ problems: string[]; report: CheckReport }> {
  const problems: string[] = [];
  const tokens = await bridgeCall<{ tokens: { label: string }[] }>(web, 'tokens.list');
  const list = await bridgeCall<{ certificates: ListedCertificate[] }>(web, 'certificates.list');
  const report: CheckReport = { cards: [], renewal: null, newCard: null };
  if (tokens.tokens.length !== cards.length) problems.push(`the app lists ${tokens.tokens.length} tokens, the demo made ${cards.length}`);
  for (const s of services) if (!(await fetch(`${s.url}/healthz`)).ok) problems.push(`${s.url}/healthz does not answer`);

  for (const { built, verdict } of cards) {
    const { card } = built;
    const own = list.certificates.filter((c) => c.tokenLabel === card.tokenLabel && c.isCertificateAuthority === false);
    const entry = own.find((c) => c.serialNumber === built.serial);
    const listed = tokens.tokens.some((t) => t.label === card.tokenLabel);
    if (!listed) problems.push(`${card.tokenLabel}: token not listed`);
    if (own.length !== 1 || !entry) problems.push(`${card.tokenLabel}: expected one holder certificate ${built.serial}, the app lists ${own.length}`);
    if (!verdictMatches(verdict, card.expect)) problems.push(`${card.tokenLabel}: service verdict ${JSON.stringify(verdict)}, expected ${JSON.stringify(card.expect)}`);
    // The app's own renewal check goes to the service in its settings: the SI demo service.
    let app: AppVerdict | null = null;
    if (entry && card.market === 'si') {
      const view = await bridgeCall<{ eligible: boolean; path: string | null; serviceProblem: { code: string } | null }>(web, 'renewal.check', { slotId: entry.slotId, objectId: entry.objectId });
      app = { eligible: view.eligible, path: view.path, serviceProblem: view.serviceProblem?.code ?? null };
      if (app.serviceProblem || app.eligible !== card.expect.eligible || app.path !== card.expect.path) {
        problems.push(`${card.tokenLabel}: the app's renewal check says ${JSON.stringify(app)}, expected ${JSON.stringify(card.expect)}`);
      }
    }
    report.cards.push({ id: card.id, tokenLabel: card.tokenLabel, holder: holderName(card), appHolder: entry?.subjectCommonName ?? null, listed, verdict, app });
  }

  const expiring = cards.find((c) => c.built.card.id === 'expiring')?.built;
  const entry = expiring && list.certificates.find((c) => c.serialNumber === expiring.serial);
  if (expiring && entry) report.renewal = await walkRenewal(web, expiring, entry, problems);
  const renewed = cards.find((c) => c.built.card.id === 'renewed-once')?.built;
  const renewedEntry = renewed && list.certificates.find((c) => c.serialNumber === renewed.serial);
  if (renewed && renewedEntry) report.newCard = await walkNewCard(web, renewed, renewedEntry, back, problems);
  return { problems, report };
}
