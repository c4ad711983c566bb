/**
 * Receive on the same card (first renewal): one login, a new key pair on the card, a PKCS#10 made by it,
 * the pickup authorised by the current certificate, the new certificate and chain written next to the
 * new key, read back and matched, `installed` confirmed. Every step goes through the journal, so a
 * stop at any point resumes at the unfinished step. The old certificate and key stay on the card.
 */
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import type { PickupDocument } from '../../../src-shared/contract/protocol/order.js';
import type { CertificateList } from '../../../src-shared/contract/schemas/certificate.js';
import type { ReceiveProgress, ReceiveResult } from '../../../src-shared/contract/schemas/renewal-receive.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { buildCsr } from '../../../src-shared/pki/csr.js';
import { bytesEqual, fromBase64, toBase64 } from '../../../src-shared/pki/encoding.js';
import type { CertificateSource } from '../../export/certificate-source.js';
import { findOnCard } from '../../export/export-handler.js';
import type { OrderStore } from '../../orders/order-store.js';
import type { CallOptions } from '../../service-client/http-call.js';
import type { CmpClient } from '../../service-client/cmp-client.js';
import type { RenewalClient } from '../../service-client/renewal-client.js';
import type { CardOperations } from '../../token/card-operations.js';
import type { KeyPairSpec } from '../../token/key-generation.js';
import type { LoginCredential } from '../../token/login.js';
import { signerAlgorithmFor } from '../signer-algorithm.js';
import { begin, end, isDone, type Journal, openReceiveJournal, type ReceiveStep } from './receive-journal.js';

export interface ReceiveDeps {
  certificateSource: CertificateSource;
  card: Pick<CardOperations, 'login' | 'findKeyPair' | 'generateKeyPair' | 'signer' | 'writeCertificate'>;
  /** Every certificate on every present card (finds the card again after it was pulled and reinserted). */
  listCertificates(): Promise<CertificateList>;
  client(): RenewalClient | null;
  /** The CMP client when the deployment names a CMP endpoint: then csr/pickup/installed speak CMP (kur, certConf). */
  cmp?(): CmpClient | null;
  store: OrderStore;
  appDataDir: string;
  onProgress?(progress: ReceiveProgress): void;
  callOptions?(): CallOptions;
  now?(): Date;
}

/** Statuses from which the certificate can be picked up or is already out. */
const pickupReady = new Set(['ready-for-pickup', 'issued', 'completed']);

/** The new key is made like the old one: the CA's policy accepted that type when it issued it. */
function keySpecLike(certificate: Certificate, label: string): KeyPairSpec {
  const key = certificate.keyAlgorithm;
  if (key.name === 'RSA') return { type: 'RSA', size: key.size !== null && key.size >= 3072 ? 3072 : 2048, label };
  return { type: 'EC', curve: 'P-256', label };
}

export function createReceiveFlow(deps: ReceiveDeps) {
  const now = () => deps.now?.() ?? new Date();

  /** The slot holding the certificate being renewed (by fingerprint: slot IDs may change on reinsertion). */
  async function findCard(fingerprint: string): Promise<{ slotId: string; objectId: string }> {
    const list = await deps.listCertificates();
    const entry = list.certificates.find((c) => c.readable && c.fingerprintSha256 === fingerprint);
    if (!entry) throw new ObnovaError('TOKEN_NOT_PRESENT', 'insert the card that holds the certificate being renewed', { fingerprint: fingerprint.slice(0, 16) });
    return { slotId: entry.slotId, objectId: entry.objectId };
  }

  /**
   * `pin`: typed, `{ pinPad: true }` for the reader's PIN pad (then an always-authenticate key asks the pad too),
   * or `{ sitting: true }` when the card is still unlocked from the Submit of this sitting.
   */
  async function receive(orderId: string, pin: LoginCredential): Promise<ReceiveResult> {
    const client = deps.client();
    if (!client) throw new ObnovaError('SERVICE_NOT_CONFIGURED', 'no renewal service URL is configured');
    const order = deps.store.get(orderId);
    if (!order) throw new ObnovaError('ORDER_NOT_FOUND', 'no such order in this app', { orderId });
    if (order.path !== 'existing-media') throw new ObnovaError('ORDER_PATH_MISMATCH', 'this order is delivered on a new card', { orderId, path: order.path });
    const token = deps.store.accessToken(orderId);
    const journalFile = openReceiveJournal(deps.appDataDir, orderId);
    let journal: Journal = journalFile.read() ?? {
      orderId,
      oldFingerprint: order.certificate.fingerprintSha256,
      steps: {},
      key: null,
      keyLabel: `obnova-renewal-${orderId}`,
      csr: null,
      certificate: null,
      chain: [],
      serial: null,
      protocol: deps.cmp?.() ? 'cmp' : 'v1',
      cmp: null,
      resumes: -1,
    };
    journal = { ...journal, resumes: journal.resumes + 1 };
    journalFile.write(journal);
    const resumedFrom = journal.resumes > 0 ? (Object.keys(journal.steps).at(-1) as ReceiveStep | undefined) ?? null : null;

    const step = async (name: ReceiveStep, run: () => Promise<Partial<Journal>>): Promise<void> => {
      // Done in an earlier run: said again (with when it was done), so a window opened after a restart
      // shows it finished instead of not started.
      if (isDone(journal, name)) return void deps.onProgress?.({ orderId, step: name, state: 'done', at: journal.steps[name]!.doneAt! });
      journal = begin(journal, name, now());
      journalFile.write(journal);
      deps.onProgress?.({ orderId, step: name, state: 'started', at: now().toISOString() });
      const patch = await run();
      journal = end(journal, name, now(), patch);
      journalFile.write(journal);
      deps.onProgress?.({ orderId, step: name, state: 'done', at: now().toISOString() });
    };

    // Paid? Checked first, so no key is made for an order that cannot be picked up yet.
    if (!journal.certificate) {
      const view = await client.order(orderId, token, deps.callOptions?.());
      if (!pickupReady.has(view.status)) throw new ObnovaError('ORDER_NOT_PAID', 'the order cannot be picked up yet', { orderId, status: view.status });
    }

    const where = await findCard(journal.oldFingerprint);
    const { certificate: old, others } = await findOnCard(deps.certificateSource, where.slotId, where.objectId, journal.oldFingerprint);
    const algorithm = signerAlgorithmFor(old);

    // The login is per sitting, not per order: a resume in a new sitting asks for the PIN (one entry) again.
    deps.onProgress?.({ orderId, step: 'login', state: 'started', at: now().toISOString() });
    await deps.card.login(where.slotId, pin);
    deps.onProgress?.({ orderId, step: 'login', state: 'done', at: now().toISOString() });

    await step('keygen', async () => {
      // A run stopped after C_GenerateKeyPair but before this step was journalled as done left its pair on
      // the card under the order's label: that pair is taken, so an order never gets a second key.
      const pair = (await deps.card.findKeyPair(where.slotId, journal.keyLabel)) ?? (await deps.card.generateKeyPair(where.slotId, keySpecLike(old, journal.keyLabel)));
      return { key: { id: pair.id, spki: toBase64(pair.publicKeySpki), label: journal.keyLabel } };
    });
    const key = journal.key!;

    const cmp = journal.protocol === 'cmp' ? deps.cmp?.() : null;
    if (journal.protocol === 'cmp' && !cmp) throw new ObnovaError('SERVICE_NOT_CONFIGURED', 'this receive began by CMP, and no CMP endpoint is configured now');
    // CMP key update (RFC 9483 §4.1.3): the old key signs the protection, the new key the POP, both on the card.
    const keyUpdate = {
      oldCertificate: old,
      chain: others.filter((c) => c.basicConstraints.ca).map((c) => c.der),
      oldKey: deps.card.signer(where.slotId, where.objectId, algorithm, { certificate: old }),
      newSpki: fromBase64(key.spki),
      newKey: deps.card.signer(where.slotId, key.id, algorithm),
    };

    await step('csr', async () => {
      if (cmp) return { csr: toBase64(await cmp.certRequest(keyUpdate)) };
      const signer = deps.card.signer(where.slotId, key.id, algorithm);
      const csr = await buildCsr({ subject: old.subject, publicKey: fromBase64(key.spki), signer });
      return { csr: toBase64(csr) };
    });

    await step('pickup', async () => {
      if (cmp) {
        // Each try is a new transaction; the CA answers the same certificate for the same key (a lost kup is asked again).
        const answer = await cmp.keyUpdate(keyUpdate, fromBase64(journal.csr!), deps.callOptions?.());
        const serial = (await Certificate.fromDer(answer.certificate)).serialNumber;
        return { certificate: toBase64(answer.certificate), chain: answer.chain.map(toBase64), serial, cmp: { transactionId: answer.transactionId, serverNonce: answer.serverNonce } };
      }
      const document: PickupDocument = { type: 'obnova.renewal-pickup', version: 1, orderId, csr: journal.csr! };
      const signer = deps.card.signer(where.slotId, where.objectId, algorithm, { certificate: old });
      const cms = await signCms(new TextEncoder().encode(JSON.stringify(document)), signer, { chain: others });
      const answer = await client.pickup(orderId, cms, deps.callOptions?.());
      return { certificate: answer.certificate, chain: answer.chain, serial: answer.serial };
    });

    const newDer = fromBase64(journal.certificate!);
    await step('write', async () => {
      await deps.card.writeCertificate(where.slotId, newDer, { label: key.label, id: key.id, chain: journal.chain.map(fromBase64) });
      return {};
    });

    await step('verify', async () => {
      const onCard = await deps.certificateSource.certificateValues(where.slotId);
      const stored = onCard.find((v) => bytesEqual(v.der, newDer));
      const parsed = await Certificate.fromDer(newDer);
      if (!stored || stored.objectId !== key.id || !bytesEqual(parsed.subjectPublicKeyInfo, fromBase64(key.spki))) {
        throw new ObnovaError('TOKEN_CERTIFICATE_KEY_MISMATCH', 'the certificate read back from the card is not next to the new key', { keyId: key.id });
      }
      if (!onCard.some((v) => v.objectId === where.objectId)) throw new ObnovaError('TOKEN_OBJECT_NOT_FOUND', 'the old certificate is no longer on the card', { objectId: where.objectId });
      return {};
    });

    await step('installed', async () => {
      // certConf only after the certificate sits verified on the card: a CA that hears nothing revokes nothing of ours.
      if (cmp && journal.cmp) {
        const { transactionId, serverNonce } = journal.cmp;
        await cmp.confirm(keyUpdate, { certificate: newDer, chain: journal.chain.map(fromBase64), transactionId, serverNonce }, deps.callOptions?.());
      }
      await client.installed(orderId, token, journal.serial!, deps.callOptions?.());
      return {};
    });

    const at = now().toISOString();
    const saved = { ...order, status: 'completed' as const, newCertificateSerial: journal.serial, updatedAt: at, timeline: [...order.timeline, { status: 'completed' as const, at }] };
    deps.store.save(saved);
    return { orderId, status: 'completed', serial: journal.serial!, keyId: key.id, slotId: where.slotId, resumes: journal.resumes, resumedFrom };
  }

  return { receive };
}
