/**
 * The running CA: its HSM sessions (a bounded signing pool, one lane per session), the root, issuing and OCSP responder
 * certificates with signers for their keys, and the certificate profiles.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { applyHsmEnvironment, readHsmPin, type CaConfig } from '../config.js';
import { signingAlgorithm } from '../hsm/key-spec.js';
import { TokenSession } from '../hsm/token-session.js';
import { HsmSigner } from './hsm-signer.js';
import { keyIdentifier } from './key-identifiers.js';
import { loadProfiles } from './profiles/load-profiles.js';
import type { Profile } from './profiles/profile-schema.js';
import { SignPool } from './sign-queue.js';

export type CaRole = 'root' | 'issuing' | 'ocsp';

export interface CaMember {
  role: CaRole;
  cert: x509.X509Certificate;
  der: Uint8Array;
  /** Subject key identifier, hex. */
  keyId: string;
  signer: HsmSigner;
}

export class Authority {
  private constructor(
    readonly config: CaConfig,
    /** The first session (key look-ups, raw access); all of them are in `sessions`. */
    readonly session: TokenSession,
    readonly sessions: TokenSession[],
    readonly pool: SignPool,
    readonly root: CaMember,
    readonly issuing: CaMember,
    readonly ocsp: CaMember,
    readonly profiles: Map<string, Profile>,
  ) {}

  /** Logs in to the HSM (PIN from file or env) and loads the three CA keys and certificates. */
  static async open(config: CaConfig, profiles = loadProfiles()): Promise<Authority> {
    applyHsmEnvironment(config);
    const pin = readHsmPin(config);
    const sessions: TokenSession[] = [];
    try {
      for (let i = 0; i < config.hsm.sessions; i++) {
        sessions.push(TokenSession.open({ module: config.hsm.module, tokenLabel: config.hsm.tokenLabel, pin }));
      }
      const pool = new SignPool(sessions.length, config.hsm.signQueueLimit);
      const member = async (role: CaRole): Promise<CaMember> => {
        const key = config.keys[role];
        const cert = readCertificate(config.certificates[role]);
        const lanes = [];
        for (const s of sessions) lanes.push({ crypto: s.crypto, key: await s.privateKey(key.label) });
        const signer = new HsmSigner(lanes, signingAlgorithm(key.spec), pool);
        return { role, cert, der: new Uint8Array(cert.rawData), keyId: keyIdentifier(cert.publicKey.rawData), signer };
      };
      return new Authority(config, sessions[0]!, sessions, pool, await member('root'), await member('issuing'), await member('ocsp'), profiles);
    } catch (error) {
      for (const s of sessions.reverse()) s.close();
      throw error;
    }
  }

  /** The member by role. */
  member(role: CaRole): CaMember {
    return role === 'root' ? this.root : role === 'issuing' ? this.issuing : this.ocsp;
  }

  close(): void {
    // Logout is per application: closing the extra sessions first keeps the first one's logout last.
    for (const s of [...this.sessions].reverse()) s.close();
  }
}

/** Reads a PEM or DER certificate file. */
export function readCertificate(path: string): x509.X509Certificate {
  try {
    const data = readFileSync(path);
    return new x509.X509Certificate(data.subarray(0, 5).toString() === '-----' ? data.toString('utf8') : new Uint8Array(data));
  } catch (cause) {
    throw new ObnovaError('CA_NOT_INITIALIZED', `cannot read CA certificate ${path}`, { file: path }, { cause });
  }
}
