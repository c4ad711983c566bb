/**
 * A holder's card in tests: a SoftHSM token issued by the CA (issueOntoCard), opened as the app
 * would, signing CMS with the on-card key (the PKI core's Signer) and making new on-card keys + CSRs.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { issueOntoCard, type CardIssueResult } from '../../../src-service/ca/card-issuance.js';
import type { CaService } from '../../../src-service/ca/ca-service.js';
import { softHsmModule } from '../../../src-service/ca/ca-setup.js';
import { TokenSession } from '../../../src-service/hsm/token-session.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { ecdsaRawToDer } from '../../../src-shared/pki/ecdsa-signature.js';
import type { Signer } from '../../../src-shared/pki/signer.js';
import type { CryptoKey } from '../../../src-service/hsm/webcrypto-types.js';

export interface TestCard {
  tokenLabel: string;
  pin: string;
  issued: CardIssueResult;
  /** The certificate currently used to sign (changes after a renewal is installed). */
  certificate: Certificate;
  keyLabel: string;
  session: TokenSession;
  /** CMS SignedData over `content`, signed on the card with the current key. */
  sign(content: Uint8Array): Promise<Uint8Array>;
  /** A new P-256 key pair on the card and a PKCS#10 signed by it (subject as given, default the CA's subject for the holder). */
  newKeyCsr(label: string, subject?: string): Promise<Uint8Array>;
  close(): void;
}

/** Signer over an on-card ECDSA P-256 key. */
export function cardSigner(session: TokenSession, privateKey: CryptoKey, certificate: Certificate): Signer {
  return {
    algorithm: 'ECDSA-P256-SHA256',
    certificate,
    async sign(data) {
      const raw = await session.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey as never, data);
      return ecdsaRawToDer(new Uint8Array(raw));
    },
  };
}

/** Issues a card for `holderId` onto a new SoftHSM token and opens it. */
export async function issueTestCard(service: CaService, holderId: string, tokenLabel: string): Promise<TestCard> {
  const issued = await issueOntoCard(service, { module: softHsmModule, tokenLabel, holderId, keySpec: 'EC-P256', actor: 'test' });
  const pin = issued.mailer!.pin;
  const session = TokenSession.open({ module: softHsmModule, tokenLabel, pin });
  const card: TestCard = {
    tokenLabel,
    pin,
    issued,
    certificate: await Certificate.fromDer(new Uint8Array(issued.certificate.rawData)),
    keyLabel: issued.keyLabel,
    session,
    async sign(content) {
      const key = await session.privateKey(card.keyLabel);
      return signCms(content, cardSigner(session, key, card.certificate));
    },
    async newKeyCsr(label, subject) {
      const keys = await session.generateKeyPair(label, 'EC-P256');
      const csr = await x509.Pkcs10CertificateRequestGenerator.create(
        { name: subject ?? issued.certificate.subject, keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } } as never,
        session.crypto as never,
      );
      return new Uint8Array(csr.rawData);
    },
    close: () => session.close(),
  };
  return card;
}
