/**
 * A logged-in session on one token, exposed as WebCrypto (node-webcrypto-p11) so that
 * @peculiar/x509 can sign with keys that never leave the token.
 */
import * as graphene from 'graphene-pk11';
import { Crypto, CryptoKey as P11CryptoKey } from 'node-webcrypto-p11';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { findSlotByLabel, loadModule } from './pkcs11-module.js';
import { keyGenParams, type KeySpec } from './key-spec.js';
import type { CryptoKeyPair, CryptoKey } from './webcrypto-types.js';

export interface TokenSessionOptions {
  module: string;
  tokenLabel: string;
  pin: string;
}

/** One RW session, logged in as the user, over the token with the given label. */
export class TokenSession {
  readonly crypto: Crypto;
  readonly session: graphene.Session;
  readonly slot: graphene.Slot;

  private constructor(slot: graphene.Slot, session: graphene.Session, crypto: Crypto) {
    this.slot = slot;
    this.session = session;
    this.crypto = crypto;
  }

  /** Opens and logs in; a wrong PIN surfaces as TOKEN_PIN_INCORRECT without the PIN. */
  static open(options: TokenSessionOptions): TokenSession {
    const mod = loadModule(options.module);
    const slot = findSlotByLabel(mod, options.tokenLabel);
    if (!slot) {
      throw new ObnovaError('CA_HSM_TOKEN_NOT_FOUND', `no token labelled "${options.tokenLabel}" in ${options.module}`, {
        tokenLabel: options.tokenLabel,
      });
    }
    const session = slot.open(graphene.SessionFlag.SERIAL_SESSION | graphene.SessionFlag.RW_SESSION);
    try {
      session.login(options.pin, graphene.UserType.USER);
    } catch (cause) {
      // Login state is per application, not per session: a second session of a pool is already in.
      if (String((cause as Error).message).includes('CKR_USER_ALREADY_LOGGED_IN')) return TokenSession.wrap(slot, session);
      session.close();
      const code = String((cause as Error).message).includes('CKR_PIN_INCORRECT') ? 'TOKEN_PIN_INCORRECT' : 'TOKEN_PKCS11_ERROR';
      throw new ObnovaError(code, `login to token "${options.tokenLabel}" failed`, { tokenLabel: options.tokenLabel }, { cause });
    }
    return TokenSession.wrap(slot, session);
  }

  private static wrap(slot: graphene.Slot, session: graphene.Session): TokenSession {
    const crypto = new Crypto({ session } as unknown as ConstructorParameters<typeof Crypto>[0]);
    // Constructed over an existing session, the provider does not know we already logged in.
    crypto.isLoggedIn = true;
    return new TokenSession(slot, session, crypto);
  }

  get tokenSerial(): string {
    return this.slot.getToken().serialNumber;
  }

  /** Generates a non-extractable, sensitive key pair stored on the token (CKA_TOKEN, CKA_SENSITIVE). */
  async generateKeyPair(label: string, spec: KeySpec): Promise<CryptoKeyPair> {
    const params = { ...keyGenParams(spec), token: true, sensitive: true, label };
    return (await this.crypto.subtle.generateKey(params, false, ['sign', 'verify'])) as CryptoKeyPair;
  }

  /** The private key with this CKA_LABEL, or CA_HSM_KEY_NOT_FOUND. */
  async privateKey(label: string): Promise<CryptoKey> {
    return this.keyByLabel(label, graphene.ObjectClass.PRIVATE_KEY);
  }

  /** The public key with this CKA_LABEL, or CA_HSM_KEY_NOT_FOUND. */
  async publicKey(label: string): Promise<CryptoKey> {
    return this.keyByLabel(label, graphene.ObjectClass.PUBLIC_KEY);
  }

  /** True when a private key with this label exists. */
  hasPrivateKey(label: string): boolean {
    return this.session.find({ class: graphene.ObjectClass.PRIVATE_KEY, label }).length > 0;
  }

  private async keyByLabel(label: string, cls: graphene.ObjectClass): Promise<CryptoKey> {
    const found = this.session.find({ class: cls, label });
    if (found.length !== 1) {
      throw new ObnovaError('CA_HSM_KEY_NOT_FOUND', `expected one key labelled "${label}", found ${found.length}`, { label });
    }
    const object = found.items(0).toType<graphene.Key>();
    const id = P11CryptoKey.getID(object as unknown as Parameters<typeof P11CryptoKey.getID>[0]);
    return (await this.crypto.keyStorage.getItem(id)) as unknown as CryptoKey;
  }

  close(): void {
    try {
      this.session.logout();
    } catch {
      // not logged in any more (token removed): closing is still right
    }
    try {
      this.session.close();
    } catch {
      // session already gone
    }
  }
}
