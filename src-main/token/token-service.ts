/**
 * Reading tokens and their certificates without a PIN: the service the CLI, IPC and web bridge call.
 * The module is loaded and initialized on first use, kept while the service lives, finalized by close().
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { CertificateEntry, CertificateList, Notice } from '../../src-shared/contract/schemas/certificate.js';
import type { TokenList, TokenSelector } from '../../src-shared/contract/schemas/token.js';
import { readCertificates } from './certificate-reader.js';
import { Pkcs11Module } from './module.js';
import type { ResolvedModule } from './module-resolver.js';
import { type PresentToken, readToken, slotIdOf } from './slot.js';
import { withSession } from './session.js';

export interface TokenService {
  listTokens(): Promise<TokenList>;
  listCertificates(selector: TokenSelector): Promise<CertificateList>;
  /** Calls onChange when the set of present tokens changes (polls C_GetSlotList(true) + token serials). */
  watch(onChange: () => void, intervalMs?: number): () => void;
  close(): Promise<void>;
}

/** How often watch() polls when no interval is given. */
export const defaultWatchIntervalMs = 1000;

/** A TokenService over one PKCS#11 module (see docs/token.md for what each call does on the wire). */
export function createTokenService(options: { module: ResolvedModule }): TokenService {
  const resolved = options.module;
  const rescanByReinitialize = resolved.tokenRescan === 'reinitialize';
  let loaded: Pkcs11Module | null = null;
  const stopWatchers = new Set<() => void>();

  // graphene calls are synchronous but certificate parsing awaits: one operation at a time keeps a
  // reinitialize (which invalidates every session) from landing in the middle of a listing.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(run: () => Promise<T> | T): Promise<T> {
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }

  function ready(): Pkcs11Module {
    if (!loaded) {
      const module = Pkcs11Module.load(resolved);
      try {
        module.initialize();
      } catch (error) {
        try {
          module.close();
        } catch {
          // The library failed to initialize; unloading it is best effort.
        }
        throw error;
      }
      loaded = module;
    } else if (rescanByReinitialize) {
      loaded.reinitialize();
    }
    return loaded;
  }

  function presentTokens(module: Pkcs11Module): PresentToken[] {
    const tokens: PresentToken[] = [];
    for (const slot of module.slots(true)) {
      try {
        const token = readToken(slot);
        if (token) tokens.push(token);
      } catch (error) {
        // A token pulled out between C_GetSlotList and C_GetTokenInfo is simply not present.
        if (error instanceof ObnovaError && (error.code === 'TOKEN_REMOVED' || error.code === 'TOKEN_SLOT_NOT_FOUND')) continue;
        throw error;
      }
    }
    return tokens;
  }

  function choose(module: Pkcs11Module, tokens: PresentToken[], selector: TokenSelector): PresentToken[] {
    if (selector.slotId !== undefined) {
      const chosen = tokens.filter((t) => t.info.slotId === selector.slotId);
      if (chosen.length > 0) return chosen;
      const slotExists = module.slots(false).some((slot) => slotIdOf(slot.handle) === selector.slotId);
      if (slotExists) throw new ObnovaError('TOKEN_NOT_PRESENT', 'the chosen slot holds no initialized token', { slotId: selector.slotId });
      throw new ObnovaError('TOKEN_SLOT_NOT_FOUND', 'no slot has this ID', { slotId: selector.slotId });
    }
    if (selector.tokenLabel !== undefined) {
      const chosen = tokens.filter((t) => t.info.label === selector.tokenLabel);
      if (chosen.length === 0) throw new ObnovaError('TOKEN_SLOT_NOT_FOUND', 'no present token has this label', { tokenLabel: selector.tokenLabel });
      return chosen;
    }
    return tokens;
  }

  async function snapshot(): Promise<string> {
    return exclusive(() =>
      presentTokens(ready())
        .map((t) => `${t.info.slotId}:${t.info.serialNumber}`)
        .sort()
        .join(','),
    );
  }

  return {
    listTokens: () =>
      exclusive(() => {
        const module = ready();
        return { module: module.info(), tokens: presentTokens(module).map((t) => t.info) };
      }),

    listCertificates: (selector = {}) =>
      exclusive(async () => {
        const module = ready();
        const tokens = presentTokens(module);
        if (tokens.length === 0) throw new ObnovaError('TOKEN_NOT_PRESENT', 'no slot holds an initialized token');
        const certificates: CertificateEntry[] = [];
        const notices: Notice[] = [];
        for (const token of choose(module, tokens, selector)) {
          const entries = await withSession(token.slot, (session) => readCertificates(session, token.info));
          if (entries.length === 0) notices.push({ code: 'TOKEN_NO_CERTIFICATES', slotId: token.info.slotId, tokenLabel: token.info.label });
          certificates.push(...entries);
        }
        return { certificates, notices };
      }),

    watch(onChange, intervalMs = defaultWatchIntervalMs) {
      let previous: string | null = null;
      let busy = false;
      let stopped = false;
      const tick = async (): Promise<void> => {
        if (busy || stopped) return;
        busy = true;
        try {
          let current: string;
          try {
            current = await snapshot();
          } catch (error) {
            // A module that cannot be read counts as its own state, so recovering from it is a change too.
            current = `unavailable:${error instanceof ObnovaError ? error.code : 'INTERNAL'}`;
          }
          if (!stopped && previous !== null && current !== previous) onChange();
          previous = current;
        } finally {
          busy = false;
        }
      };
      void tick();
      const timer = setInterval(() => void tick(), intervalMs);
      const stop = (): void => {
        stopped = true;
        clearInterval(timer);
        stopWatchers.delete(stop);
      };
      stopWatchers.add(stop);
      return stop;
    },

    close: () => {
      for (const stop of [...stopWatchers]) stop();
      return exclusive(() => {
        const module = loaded;
        loaded = null;
        module?.close();
      });
    },
  };
}
