/**
 * A SecretBox over Electron's safeStorage (OS keychain: Keychain, DPAPI, libsecret/kwallet), given as
 * an interface so this file does not import electron; the shell passes `safeStorage` itself.
 */
import type { SecretBox } from './secret-box.js';
import { plainFileBox } from './secret-box.js';

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux: 'basic_text' means no keyring, only a hard-coded key — no better than the 0600 file. */
  getSelectedStorageBackend?(): string;
}

/** The keychain box when safeStorage really encrypts, else the 0600-file fallback. */
export function safeStorageBox(storage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretBox {
  const available = storage.isEncryptionAvailable() && !(platform === 'linux' && storage.getSelectedStorageBackend?.() === 'basic_text');
  if (!available) return plainFileBox;
  return {
    kind: 'keychain',
    seal: (secret) => new Uint8Array(storage.encryptString(secret)),
    open: (sealed) => storage.decryptString(Buffer.from(sealed)),
  };
}
