/**
 * The demo's PKI, made the way a CA and its registration office would: `obnova-ca init` for an SI
 * and an RS CA (keys in a SoftHSM "HSM" of their own), holders registered, cards issued onto
 * SoftHSM tokens with the CA's card issuance, then revoked / holder data changed / renewed once.
 * Certificates are backdated through the CA's issuance API (its `now`), so one run has cards that
 * are valid, about to expire and expired. Finally the card tokens are handed over: moved to the
 * cards' own SoftHSM store, which is all the app sees.
 */
import 'reflect-metadata';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as graphene from 'graphene-pk11';
import { initCa, softHsmModule } from '../../src-service/ca/ca-setup.js';
import { CaService } from '../../src-service/ca/ca-service.js';
import { issueOntoCard } from '../../src-service/ca/card-issuance.js';
import { issueCertificate, type IssueRequest } from '../../src-service/ca/issuance.js';
import { profileFor } from '../../src-service/ca/profiles/load-profiles.js';
import { loadConfig, configFileName, type CaConfigFile } from '../../src-service/config.js';
import { changeHolder, createHolder } from '../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../src-service/hsm/pkcs11-module.js';
import { TokenSession } from '../../src-service/hsm/token-session.js';
import type { DemoCard, DemoMarket } from './demo-cards.js';
import type { DemoLayout } from './layout.js';

const actor = 'demo:registration-office';
const day = 86_400_000;

export interface BuiltCard {
  card: DemoCard;
  /** The certificate the card holds now (DER), as the app will read it. */
  certificate: Uint8Array;
  serial: string;
  notAfter: string;
  /** The PIN mailer: printed by the demo, stored nowhere else. */
  pin: string;
  puk: string;
}

/** The moment to issue at so that the profile's validity ends `daysLeft` days from now. */
function issuedAtFor(daysLeft: number, years: number): Date {
  const end = new Date(Date.now() + daysLeft * day);
  end.setUTCFullYear(end.getUTCFullYear() - years);
  // addYears() ends one second before the anniversary.
  return new Date(end.getTime() + 1000);
}

/** The CA as `issueOntoCard` uses it, but issuing at `at` and as `kind`: the demo's backdating. */
function issuingAt(service: CaService, at: Date, kind: 'original' | 'renewal'): CaService {
  const issue = (request: IssueRequest) => issueCertificate(service.authority, service.db, { ...request, kind }, at);
  return Object.create(service, { issue: { value: issue } }) as CaService;
}

/**
 * A renewed card keeps only its current certificate: the old one and its key pair (same CKA_ID) go,
 * and so do the second copies of the CA certificates the renewal wrote again.
 */
function tidyRenewedCard(tokenLabel: string, pin: string, old: Uint8Array): void {
  const card = TokenSession.open({ module: softHsmModule, tokenLabel, pin });
  try {
    const certs = card.session.find({ class: graphene.ObjectClass.CERTIFICATE });
    const seen = new Set<string>();
    const doomed: graphene.SessionObject[] = [];
    for (let i = 0; i < certs.length; i++) {
      const cert = certs.items(i);
      const attrs = cert.getAttribute({ value: null, id: null }) as { value: Buffer; id: Buffer };
      const hex = attrs.value.toString('hex');
      if (Buffer.from(old).equals(attrs.value)) {
        const objects = card.session.find({ id: attrs.id });
        for (let j = 0; j < objects.length; j++) doomed.push(objects.items(j));
      } else if (seen.has(hex)) doomed.push(cert);
      seen.add(hex);
    }
    for (const object of doomed) object.destroy();
  } finally {
    card.close();
  }
}

async function initDemoCa(layout: DemoLayout, market: DemoMarket): Promise<CaService> {
  const dir = layout.caDir(market);
  const port = layout.ports[market];
  await initCa({ dir, market, tokenLabel: `Obnova demo CA ${market.toUpperCase()}`, port, keySpec: 'RSA-3072', actor: 'demo:ca-admin' });
  // Both CAs' keys live in the demo HSM store: say so in the config, so `obnova-ca … --dir` works without SOFTHSM2_CONF.
  const file = join(dir, configFileName);
  const config = JSON.parse(readFileSync(file, 'utf8')) as CaConfigFile;
  config.hsm.softhsmConf = layout.caHsmConf;
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  // The renewal service: admin API on loopback with a token file, payments confirmed by themselves after a few seconds.
  writeFileSync(join(dir, 'admin.token'), `${layout.adminToken}\n`, { mode: 0o600 });
  writeFileSync(
    join(dir, 'obnova-renewal.json'),
    `${JSON.stringify({ admin: { host: '127.0.0.1', port: layout.adminPorts[market], tokenFile: 'admin.token' }, demo: { autoConfirmPaymentsAfterMs: layout.autoConfirmMs } }, null, 2)}\n`,
  );
  return CaService.open(loadConfig(dir, {}));
}

async function issueCard(services: Record<DemoMarket, CaService>, card: DemoCard): Promise<BuiltCard> {
  const service = services[card.market];
  const { holder } = card;
  await createHolder(
    service.db,
    holder.kind === 'legal'
      ? { kind: 'legal', country: card.market.toUpperCase(), givenName: holder.givenName, surname: holder.surname, personalNumber: holder.personalNumber, email: holder.email, legalName: holder.legalName!, organizationId: holder.organizationId! }
      : { kind: 'natural', country: card.market.toUpperCase(), givenName: holder.givenName, surname: holder.surname, personalNumber: holder.personalNumber, email: holder.email },
    actor,
    holder.id,
  );
  const years = profileFor(service.authority.profiles, holder.kind).validity.years;
  const renew = card.then && 'renewOnCard' in card.then;
  // A renewed card: its original certificate was issued one validity period before the renewal.
  const firstAt = issuedAtFor(card.daysLeft - (renew ? years * 365 : 0), years);
  const first = await issueOntoCard(issuingAt(service, firstAt, 'original'), { module: softHsmModule, tokenLabel: card.tokenLabel, holderId: holder.id, actor });
  const mailer = first.mailer!;
  let current = first;
  if (renew) {
    current = await issueOntoCard(issuingAt(service, issuedAtFor(card.daysLeft, years), 'renewal'), {
      module: softHsmModule,
      tokenLabel: card.tokenLabel,
      holderId: holder.id,
      pin: mailer.pin,
      actor,
    });
    tidyRenewedCard(card.tokenLabel, mailer.pin, new Uint8Array(first.certificate.rawData));
  }
  if (card.then && 'revoke' in card.then) await service.revoke(current.record.serial, card.then.revoke, actor);
  if (card.then && 'changeSurname' in card.then) await changeHolder(service.db, holder.id, { surname: card.then.changeSurname }, actor);
  return { card, certificate: new Uint8Array(current.certificate.rawData), serial: current.record.serial, notAfter: current.record.notAfter, pin: mailer.pin, puk: mailer.puk };
}

/** Makes both CAs and every card; returns the cards with their PIN mailers. SOFTHSM2_CONF must point at `layout.caHsmConf`. */
export async function buildDemoPki(layout: DemoLayout, cards: readonly DemoCard[]): Promise<BuiltCard[]> {
  const services = { si: await initDemoCa(layout, 'si'), rs: await initDemoCa(layout, 'rs') } as Record<DemoMarket, CaService>;
  const caTokens = new Set(readdirSync(layout.caHsmTokens));
  const built: BuiltCard[] = [];
  try {
    for (const card of cards) built.push(await issueCard(services, card));
  } finally {
    await services.si.close();
    await services.rs.close();
    unloadAllModules();
  }
  // Hand the cards over: SoftHSM keeps each token in a folder of its own.
  for (const token of readdirSync(layout.caHsmTokens)) {
    if (!caTokens.has(token)) renameSync(join(layout.caHsmTokens, token), join(layout.cardTokens, token));
  }
  return built;
}
