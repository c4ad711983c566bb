/**
 * Tokens, their certificates, and the card work of a sitting: the service the CLI, IPC and web bridge call.
 * The module is loaded and initialized on first use, kept while the service lives, finalized by close().
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { CertificateEntry, CertificateList, Notice } from '../../src-shared/contract/schemas/certificate.js';
import type { TokenFacts, TokenInfo, TokenList, TokenSelector } from '../../src-shared/contract/schemas/token.js';
import { type CardOperations, createCardOperations, stillPresent } from './card-operations.js';
import { certificateEntries, readCertificates } from './certificate-reader.js';
import { type CertificateValue, certificateValuesOf, readCertificateObjects, readCertificateValues } from './certificate-values.js';
import type { TraceSink } from './call-trace.js';
import { Pkcs11Module } from './module.js';
import type { ResolvedModule } from './module-resolver.js';
import { type PresentToken, readToken, slotIdOf } from './slot.js';
import { withSession } from './session.js';
import { defaultIdleTimeoutMs, SessionRegistry } from './session-registry.js';
import { SlotQueues } from './slot-queue.js';

/** Listing and watching tokens (no PIN) plus the card operations of a sitting (card-operations.ts). */
export interface TokenService extends CardOperations {
  listTokens(): Promise<TokenList>;
  listCertificates(selector: TokenSelector): Promise<CertificateList>;
  /**
   * What diagnostics reads, in one pass (one slot listing, one session per token): the module, each token
   * with its CK_TOKEN_INFO versions, memory and raw flags, its certificates and their DER.
   */
  inventory(): Promise<TokenInventory>;
  /** The DER of every certificate object on the chosen tokens (a slot ID string = that slot); no PIN. */
  certificateValues(selector: TokenSelector | string): Promise<CertificateValue[]>;
  /** Calls onChange when the set of present tokens changes (polls C_GetSlotList(true) + token serials). */
  watch(onChange: () => void, intervalMs?: number): () => void;
  close(): Promise<void>;
}

export interface TokenInventory {
  module: TokenList['module'];
  tokens: Array<TokenInfo & { facts: TokenFacts }>;
  certificates: CertificateEntry[];
  values: CertificateValue[];
}

/** How often watch() polls when no interval is given. */
export const defaultWatchIntervalMs = 1000;

/** A TokenService over one PKCS#11 module (see docs/token.md for what each call does on the wire). */
export function createTokenService(options: {
  module: ResolvedModule;
  idleTimeoutMs?: number;
  /** Opt-in: report every PKCS#11 call to this module here (names, results, times; no values). */
  trace?: TraceSink | undefined;
}): TokenService {
  const resolved = options.module;
  const rescanByReinitialize = resolved.tokenRescan === 'reinitialize';
  const idleTimeoutMs = options.idleTimeoutMs ?? defaultIdleTimeoutMs;
  let loaded: Pkcs11Module | null = null;
  /** Set by ready() when it has just loaded and initialized the library (until the next rescan or microtask). */
  let freshlyInitialized = false;
  const stopWatchers = new Set<() => void>();

  // Work on one token runs in its slot's queue; listings queue per slot too, so nothing interleaves on a card.
  const queues = new SlotQueues();
  const registry: SessionRegistry = new SessionRegistry(idleTimeoutMs, (slotId) => {
    // The timer fired; the close waits for work in progress and is skipped if that work used the session.
    queues
      .run(slotId, () => {
        if (registry.idleFor(slotId) >= idleTimeoutMs) registry.close(slotId);
      })
      .catch(() => undefined);
  });

  /**
   * C_Finalize + C_Initialize for modules that only see other processes' tokens that way (SoftHSM2) —
   * only when no card session is open and no slot job is queued: a reinitialize ends every session and
   * its login, which would cost the user a second PIN entry (or break a key generation under way).
   */
  function rescan(module: Pkcs11Module, ownJobs = 0): void {
    // A library initialized for this very call already sees every token: reinitializing it again is three wasted calls.
    if (freshlyInitialized) {
      freshlyInitialized = false;
      return;
    }
    if (rescanByReinitialize && registry.size === 0 && queues.busy === ownJobs) module.reinitialize();
  }

  /** Ends the sittings whose card is gone: log out quietly, fail their queued work with TOKEN_REMOVED. */
  function dropRemovedSessions(): void {
    for (const slotId of registry.slotIds()) {
      const session = registry.get(slotId);
      if (session && stillPresent(session)) continue;
      registry.close(slotId);
      queues.cancel(slotId, new ObnovaError('TOKEN_REMOVED', 'the token was removed', { slotId }));
    }
  }

  function ready(): Pkcs11Module {
    if (!loaded) {
      const module = Pkcs11Module.load(resolved, { trace: options.trace });
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
      // Only a rescan in the same synchronous step as the load may skip: later ones must look again.
      freshlyInitialized = true;
      queueMicrotask(() => {
        freshlyInitialized = false;
      });
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

  function snapshot(): string {
    const module = ready();
    dropRemovedSessions();
    rescan(module);
    return presentTokens(module)
      .map((t) => `${t.info.slotId}:${t.info.serialNumber}`)
      .sort()
      .join(',');
  }

  /**
   * The token's certificates; during a sitting they are read once and kept in the card session until this
   * app writes or deletes objects (PKCS#11 has no change counter, so outside a sitting every call reads).
   */
  async function cachedCertificates(token: PresentToken): Promise<CertificateEntry[]> {
    const sitting = registry.get(token.info.slotId);
    const live = sitting && !sitting.isClosed && sitting.serial === token.info.serialNumber.trim() ? sitting : null;
    if (live?.certificateCache) return live.certificateCache;
    const entries = await withSession(token.slot, (session) => readCertificates(session, token.info));
    if (live && !live.isClosed) live.certificateCache = entries;
    return entries;
  }

  const card = createCardOperations({
    module: ready,
    queues,
    registry,
    // Called from inside one slot job (the caller's own), which holds no handle across the call.
    rescanFromSlotJob: () => rescan(ready(), 1),
    unblockStrategy: resolved.pinUnblockStrategy ?? 'so-login-init-pin',
  });

  return {
    ...card,

    listTokens: async () => {
      const module = ready();
      rescan(module);
      return { module: module.info(), tokens: presentTokens(module).map((t) => t.info) };
    },

    listCertificates: async (selector = {}) => {
      const module = ready();
      rescan(module);
      const tokens = presentTokens(module);
      if (tokens.length === 0) throw new ObnovaError('TOKEN_NOT_PRESENT', 'no slot holds an initialized token');
      // All slot jobs are queued at once, so no reinitialize can slip in between two tokens.
      const perToken = await Promise.all(
        choose(module, tokens, selector).map((token) =>
          queues.run(token.info.slotId, () => cachedCertificates(token)).then((entries) => ({ token, entries })),
        ),
      );
      const certificates: CertificateEntry[] = [];
      const notices: Notice[] = [];
      for (const { token, entries } of perToken) {
        if (entries.length === 0) notices.push({ code: 'TOKEN_NO_CERTIFICATES', slotId: token.info.slotId, tokenLabel: token.info.label });
        certificates.push(...entries);
      }
      return { certificates, notices };
    },

    inventory: async () => {
      const module = ready();
      rescan(module);
      const tokens = presentTokens(module);
      const perToken = await Promise.all(
        tokens.map((token) =>
          queues.run(token.info.slotId, () =>
            withSession(token.slot, async (session) => {
              const objects = readCertificateObjects(session);
              return { token, certificates: await certificateEntries(session, token.info, objects), values: certificateValuesOf(objects, token.info.slotId) };
            }),
          ).catch((error: unknown) => {
            // A token pulled out half-way through is simply not there any more.
            if (error instanceof ObnovaError && (error.code === 'TOKEN_REMOVED' || error.code === 'TOKEN_NOT_PRESENT')) return null;
            throw error;
          }),
        ),
      );
      const read = perToken.filter((t) => t !== null);
      return {
        module: module.info(),
        tokens: read.map(({ token }) => ({ ...token.info, facts: token.facts })),
        certificates: read.flatMap((t) => t.certificates),
        values: read.flatMap((t) => t.values),
      };
    },

    certificateValues: async (selector = {}) => {
      const chosen: TokenSelector = typeof selector === 'string' ? { slotId: selector } : selector;
      const module = ready();
      rescan(module);
      const tokens = presentTokens(module);
      if (tokens.length === 0) throw new ObnovaError('TOKEN_NOT_PRESENT', 'no slot holds an initialized token');
      const perToken = await Promise.all(
        choose(module, tokens, chosen).map((token) =>
          queues.run(token.info.slotId, () => withSession(token.slot, (session) => readCertificateValues(session, token.info.slotId))),
        ),
      );
      return perToken.flat();
    },

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
            current = snapshot();
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

    close: async () => {
      for (const stop of [...stopWatchers]) stop();
      await queues.idle();
      registry.closeAll();
      const module = loaded;
      loaded = null;
      module?.close();
    },
  };
}
