/**
 * `obnova-ca init`: makes a CA directory — HSM keys (root, issuing, OCSP responder) generated
 * on the token, the three certificates, the database with its schema, and the config file.
 */
import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { caConfigSchema, configFileName, loadConfig, type CaConfig, type CaConfigFile, type Market } from '../config.js';
import { appendAudit } from '../db/audit-log.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { signingAlgorithm, type KeySpec } from '../hsm/key-spec.js';
import { findSlotByLabel, initToken, loadModule } from '../hsm/pkcs11-module.js';
import { TokenSession } from '../hsm/token-session.js';
import { signCertificate, addYears } from './certificate-signer.js';
import { issuingCaExtensions, ocspResponderExtensions, rootExtensions } from './extensions.js';
import { HsmSigner } from './hsm-signer.js';
import { keyIdentifier } from './key-identifiers.js';
import { randomSerial } from './serial.js';
import { SignPool } from './sign-queue.js';
import { toName, oid } from './subject.js';
import type { CryptoKeyPair } from '../hsm/webcrypto-types.js';

export const softHsmModule = '/usr/lib/softhsm/libsofthsm2.so';

export interface InitOptions {
  dir: string;
  market: Market;
  module?: string;
  tokenLabel?: string;
  /** File with the user PIN of an existing token; for a new SoftHSM token one is generated. */
  pinFile?: string;
  baseUrl?: string;
  database?: string;
  port?: number;
  keySpec?: KeySpec;
  actor?: string;
}

export interface InitResult {
  config: CaConfig;
  created: string[];
}

const marketCountry: Record<Market, string> = { si: 'SI', rs: 'RS' };

function randomDigits(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

function writeSecret(path: string, value: string): void {
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
}

/** Creates the CA in `options.dir`; refuses a directory that already has a CA. */
export async function initCa(options: InitOptions): Promise<InitResult> {
  const dir = resolve(options.dir);
  if (existsSync(join(dir, configFileName))) {
    throw new ObnovaError('CA_ALREADY_INITIALIZED', `${dir} already holds a CA`, { dir });
  }
  mkdirSync(dir, { recursive: true });
  const created: string[] = [];
  const module = options.module ?? softHsmModule;
  const tokenLabel = options.tokenLabel ?? 'obnova-ca';
  const port = options.port ?? 8480;
  const baseUrl = (options.baseUrl ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');

  // SoftHSM without a configured token store keeps the CA's tokens inside the CA directory.
  let softhsmConf: string | null = null;
  if (module === softHsmModule && !process.env.SOFTHSM2_CONF) {
    const tokenDir = join(dir, 'softhsm-tokens');
    mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
    softhsmConf = join(dir, 'softhsm2.conf');
    writeFileSync(softhsmConf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
    process.env.SOFTHSM2_CONF = softhsmConf;
    created.push(softhsmConf, tokenDir);
  }

  const mod = loadModule(module);
  let pinFile = options.pinFile ? resolve(options.pinFile) : null;
  if (!findSlotByLabel(mod, tokenLabel)) {
    if (pinFile) throw new ObnovaError('CA_HSM_TOKEN_NOT_FOUND', `no token labelled "${tokenLabel}"`, { tokenLabel });
    const userPin = randomDigits(8);
    const soPin = randomDigits(12);
    initToken(mod, tokenLabel, soPin, userPin);
    pinFile = join(dir, 'hsm-user.pin');
    writeSecret(pinFile, userPin);
    writeSecret(join(dir, 'hsm-so.pin'), soPin);
    created.push(`token "${tokenLabel}"`, pinFile, join(dir, 'hsm-so.pin'));
  }
  if (!pinFile) throw new ObnovaError('CA_HSM_PIN_MISSING', `token "${tokenLabel}" exists; give its PIN with --pin-file`, { tokenLabel });

  const country = marketCountry[options.market];
  const spec = options.keySpec ?? 'RSA-3072';
  const fileConfig: CaConfigFile = caConfigSchema.parse({
    market: options.market,
    name: 'Obnova Demo Qualified CA',
    baseUrl,
    listen: { host: '127.0.0.1', port },
    database: options.database ?? 'sqlite:ca.sqlite',
    hsm: { module, tokenLabel, pinFile, pinEnv: 'OBNOVA_CA_HSM_PIN', softhsmConf },
    keys: {
      root: { label: 'obnova-root', spec },
      issuing: { label: 'obnova-issuing', spec },
      ocsp: { label: 'obnova-ocsp', spec: 'RSA-2048' },
    },
    certificates: { root: 'root.pem', issuing: 'issuing.pem', ocsp: 'ocsp-responder.pem' },
    crl: {},
    ocsp: {},
  });

  const pin = readFileSync(pinFile, 'utf8').trim();
  const session = TokenSession.open({ module, tokenLabel, pin });
  try {
    for (const role of ['root', 'issuing', 'ocsp'] as const) {
      if (session.hasPrivateKey(fileConfig.keys[role].label)) {
        throw new ObnovaError('CA_ALREADY_INITIALIZED', `token already has a key labelled "${fileConfig.keys[role].label}"`, { label: fileConfig.keys[role].label });
      }
    }
    const pool = new SignPool(1, 16);
    const keys = {
      root: await session.generateKeyPair(fileConfig.keys.root.label, fileConfig.keys.root.spec),
      issuing: await session.generateKeyPair(fileConfig.keys.issuing.label, fileConfig.keys.issuing.spec),
      ocsp: await session.generateKeyPair(fileConfig.keys.ocsp.label, fileConfig.keys.ocsp.spec),
    };
    created.push(`HSM keys ${fileConfig.keys.root.label}, ${fileConfig.keys.issuing.label}, ${fileConfig.keys.ocsp.label} (non-extractable)`);
    const spki = async (k: CryptoKeyPair) => session.crypto.subtle.exportKey('spki', k.publicKey as never);
    const rootSigner = new HsmSigner([{ crypto: session.crypto, key: keys.root.privateKey }], signingAlgorithm(fileConfig.keys.root.spec), pool);
    const issuingSigner = new HsmSigner([{ crypto: session.crypto, key: keys.issuing.privateKey }], signingAlgorithm(fileConfig.keys.issuing.spec), pool);

    const now = new Date();
    const notBefore = new Date(now.getTime() - 60_000);
    const rootName = toName([
      { type: oid.country, value: country, printable: true },
      { type: oid.organization, value: 'Obnova Demo', printable: false },
      { type: oid.commonName, value: 'Obnova Demo Root CA', printable: false },
    ]);
    const issuingName = toName([
      { type: oid.country, value: country, printable: true },
      { type: oid.organization, value: 'Obnova Demo', printable: false },
      { type: oid.commonName, value: fileConfig.name, printable: false },
    ]);
    const rootSpki = await spki(keys.root);
    const rootKeyId = keyIdentifier(rootSpki);
    const root = await signCertificate(
      { serial: randomSerial(), subject: rootName, issuer: rootName, spki: rootSpki, notBefore, notAfter: addYears(notBefore, 20), extensions: rootExtensions(rootKeyId) },
      rootSigner,
    );
    const issuingSpki = await spki(keys.issuing);
    const issuingKeyId = keyIdentifier(issuingSpki);
    const issuing = await signCertificate(
      {
        serial: randomSerial(),
        subject: issuingName,
        issuer: root.subjectName,
        spki: issuingSpki,
        notBefore,
        notAfter: addYears(notBefore, 12),
        extensions: issuingCaExtensions(baseUrl, issuingKeyId, rootKeyId),
      },
      rootSigner,
    );
    const ocspSpki = await spki(keys.ocsp);
    const ocspName = toName([
      { type: oid.country, value: country, printable: true },
      { type: oid.organization, value: 'Obnova Demo', printable: false },
      { type: oid.commonName, value: `${fileConfig.name} OCSP Responder`, printable: false },
    ]);
    const ocsp = await signCertificate(
      {
        serial: randomSerial(),
        subject: ocspName,
        issuer: issuing.subjectName,
        spki: ocspSpki,
        notBefore,
        notAfter: addYears(notBefore, 2),
        extensions: ocspResponderExtensions(keyIdentifier(ocspSpki), issuingKeyId),
      },
      issuingSigner,
    );
    for (const [role, cert] of [['root', root], ['issuing', issuing], ['ocsp', ocsp]] as const) {
      const path = join(dir, fileConfig.certificates[role]);
      writeFileSync(path, cert.toString('pem') + '\n');
      created.push(path);
    }
  } finally {
    session.close();
  }

  writeFileSync(join(dir, configFileName), JSON.stringify(fileConfig, null, 2) + '\n');
  created.push(join(dir, configFileName));
  const config = loadConfig(dir);
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle);
    await appendAudit(handle.db, { actor: options.actor ?? 'cli', action: 'ca.init', subject: fileConfig.name, details: { market: options.market, tokenLabel } });
  } finally {
    await handle.db.destroy();
  }
  created.push(config.database.startsWith('sqlite:') ? config.database.slice(7) : 'database schema (PostgreSQL)');
  return { config, created };
}

