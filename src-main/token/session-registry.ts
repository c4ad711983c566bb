/**
 * The card sessions of one module, at most one per slot, each closed after an idle time. While any is
 * open the module must not be finalized: C_Finalize would end it and its login (see token-service.ts).
 */
import type { PKCS11 } from 'pkcs11js';
import { CardSession } from './card-session.js';

/** Idle time after which a card session is logged out and closed, when none is configured. */
export const defaultIdleTimeoutMs = 10 * 60_000;

/** Open card sessions by slot ID, with an idle timer each. */
export class SessionRegistry {
  private readonly sessions = new Map<string, CardSession>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastUsed = new Map<string, number>();

  /** `onIdle` is called with the slot ID when a session has not been used for `idleTimeoutMs`. */
  constructor(
    private readonly idleTimeoutMs: number,
    private readonly onIdle: (slotId: string) => void,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  slotIds(): string[] {
    return [...this.sessions.keys()];
  }

  get(slotId: string): CardSession | undefined {
    return this.sessions.get(slotId);
  }

  /** The slot's session, opened when there is none (or it belongs to a card no longer in the slot). */
  acquire(lib: PKCS11, slotHandle: Buffer, slotId: string, serial: string): CardSession {
    const existing = this.sessions.get(slotId);
    if (existing && existing.serial === serial && !existing.isClosed) {
      this.touch(slotId);
      return existing;
    }
    if (existing) this.close(slotId);
    const session = CardSession.open(lib, slotHandle, slotId, serial);
    this.sessions.set(slotId, session);
    this.touch(slotId);
    return session;
  }

  /** Restarts the slot's idle timer (every call that uses the session does this). */
  touch(slotId: string): void {
    clearTimeout(this.timers.get(slotId));
    this.lastUsed.set(slotId, Date.now());
    if (!this.sessions.has(slotId) || !Number.isFinite(this.idleTimeoutMs)) return;
    const timer = setTimeout(() => this.onIdle(slotId), this.idleTimeoutMs);
    timer.unref();
    this.timers.set(slotId, timer);
  }

  /** Milliseconds since the slot's session was last used (Infinity without a session). */
  idleFor(slotId: string): number {
    const last = this.lastUsed.get(slotId);
    return this.sessions.has(slotId) && last !== undefined ? Date.now() - last : Number.POSITIVE_INFINITY;
  }

  /** Logs out and closes the slot's session, if any. */
  close(slotId: string): void {
    clearTimeout(this.timers.get(slotId));
    this.timers.delete(slotId);
    this.lastUsed.delete(slotId);
    const session = this.sessions.get(slotId);
    this.sessions.delete(slotId);
    session?.close();
  }

  /** Closes every session (quit, or before the module is finalized). */
  closeAll(): void {
    for (const slotId of this.slotIds()) this.close(slotId);
  }
}
