/**
 * How access tokens are kept at rest. The Electron shell passes one over safeStorage (OS keychain);
 * without it (web mode, CLI) the token is stored as is in a file only the user can read (0600).
 */
export interface SecretBox {
  /** `keychain` when an OS keychain protects the bytes, `file` when only file permissions do. */
  readonly kind: 'keychain' | 'file';
  seal(secret: string): Uint8Array;
  open(sealed: Uint8Array): string;
}

/** The fallback: UTF-8 bytes, protected by the 0600 file they are written to. */
export const plainFileBox: SecretBox = {
  kind: 'file',
  seal: (secret) => new TextEncoder().encode(secret),
  open: (sealed) => new TextDecoder().decode(sealed),
};
