/**
 * Original issuance onto a card, as a registration office does it: initialise (or open) the
 * token, generate the key on it, issue from a request signed by that key, and write the
 * certificate with its chain next to the key (same CKA_ID). A new token gets a PIN and a PUK
 * (SO PIN) for the mailer; they are returned to the caller and never logged or stored.
 */
import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { findCardBySerial, getHolder, registerCard } from '../db/holders-repository.js';
import { keyGenParams, signingAlgorithm, type KeySpec } from '../hsm/key-spec.js';
import { findSlotByLabel, initToken, loadModule } from '../hsm/pkcs11-module.js';
import { TokenSession } from '../hsm/token-session.js';
import type { CryptoKeyPair } from '../hsm/webcrypto-types.js';
import type { CaService } from './ca-service.js';
import type { IssueRequest, IssueResult } from './issuance.js';
import { subjectName } from './subject.js';

export interface CardIssueOptions {
  module: string;
  tokenLabel: string;
  holderId: string;
  profileId?: string;
  keySpec?: KeySpec;
  /** User PIN of an existing token; a new token gets a generated one. */
  pin?: string;
  actor: string;
  /** The renewal order (new-media path) and the work that commits with the certificate: see IssueRequest. */
  orderId?: string;
  along?: IssueRequest['along'];
}

export interface CardIssueResult extends IssueResult {
  tokenLabel: string;
  tokenSerial: string;
  cardId: string;
  keyLabel: string;
  /** Set only when this call initialised the token: the PIN mailer's content. */
  mailer: { pin: string; puk: string } | null;
}

function digits(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

/** Issues onto the token labelled `tokenLabel` in `module`, initialising it when it does not exist yet. */
export async function issueOntoCard(service: CaService, options: CardIssueOptions): Promise<CardIssueResult> {
  // Check the holder before touching any token so a typo changes nothing.
  const holder = await getHolder(service.db, options.holderId);
  const mod = loadModule(options.module);
  let mailer: CardIssueResult['mailer'] = null;
  let pin = options.pin;
  if (!findSlotByLabel(mod, options.tokenLabel)) {
    mailer = { pin: digits(6), puk: digits(8) };
    initToken(mod, options.tokenLabel, mailer.puk, mailer.pin);
    pin = mailer.pin;
  }
  if (!pin) throw new ObnovaError('CA_CARD_PIN_MISSING', `token "${options.tokenLabel}" exists; its PIN is needed`, { tokenLabel: options.tokenLabel });

  const card = TokenSession.open({ module: options.module, tokenLabel: options.tokenLabel, pin });
  try {
    const tokenSerial = card.tokenSerial;
    const registered = await findCardBySerial(service.db, tokenSerial);
    if (registered && registered.holderId !== holder.id) {
      throw new ObnovaError('CA_CARD_ALREADY_REGISTERED', `token ${tokenSerial} belongs to another holder`, { tokenSerial });
    }
    const spec = options.keySpec ?? 'RSA-2048';
    const keyLabel = `${holder.id} ${new Date().toISOString().slice(0, 10)}`;
    const keys: CryptoKeyPair = await card.generateKeyPair(keyLabel, spec);
    let issued: IssueResult;
    try {
      const csr = await x509.Pkcs10CertificateRequestGenerator.create(
        { name: subjectName(holder), keys, signingAlgorithm: { ...keyGenParams(spec), ...signingAlgorithm(spec) } } as never,
        card.crypto as never,
      );
      const cardRecord = registered ?? (await registerCard(service.db, holder.id, tokenSerial, options.tokenLabel, options.actor));
      issued = await service.issue({ csr: new Uint8Array(csr.rawData), holderId: holder.id, profileId: options.profileId, cardId: cardRecord.id, kind: 'original', actor: options.actor, orderId: options.orderId, along: options.along });
      await writeCertificate(card, issued.certificate, keyLabel);
      for (const [der, label] of [
        [issued.chain[0]!, service.authority.issuing.cert.subjectName.getField('CN')[0] ?? 'Issuing CA'],
        [issued.chain[1]!, service.authority.root.cert.subjectName.getField('CN')[0] ?? 'Root CA'],
      ] as const) {
        await writeCertificate(card, new x509.X509Certificate(der), label);
      }
      return { ...issued, tokenLabel: options.tokenLabel, tokenSerial, cardId: cardRecord.id, keyLabel, mailer };
    } catch (error) {
      // Nothing half-issued on the card: a key without its certificate is removed again.
      await removeKeyPair(card, keys);
      throw error;
    }
  } finally {
    card.close();
  }
}

async function writeCertificate(card: TokenSession, cert: x509.X509Certificate, label: string): Promise<void> {
  const alg = cert.publicKey.algorithm as { name: string };
  const algorithm = { ...(alg.name === 'ECDSA' ? alg : { ...alg, hash: 'SHA-256' }), label, token: true };
  // The provider gives an imported certificate the CKA_ID of the matching key on the token,
  // which is how the app pairs a certificate with its private key.
  await card.crypto.certStorage.importCert('raw', new Uint8Array(cert.rawData), algorithm as never, ['verify']);
}

async function removeKeyPair(card: TokenSession, keys: CryptoKeyPair): Promise<void> {
  for (const key of [keys.privateKey, keys.publicKey]) {
    try {
      const index = await card.crypto.keyStorage.indexOf(key as never);
      if (index) await card.crypto.keyStorage.removeItem(index);
    } catch {
      // best effort: the failure that brought us here is what the caller needs to see
    }
  }
}
