/** WebCrypto types named without the DOM lib or a Node import, so this folder stays portable. */
export type WebCryptoKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;
