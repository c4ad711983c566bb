/**
 * The demo's post: a card the back office makes for a new-media order (`obnova-ca cards produce`)
 * is personalised in the CA's SoftHSM store; once it is complete the courier moves its token folder
 * to the cards' store, where the app finds it (it re-reads SoftHSM's token list on refresh).
 */
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoLayout } from './layout.js';

/** A produced card holds its key pair, its certificate and the two CA certificates. */
const completeObjects = 5;

function fingerprint(dir: string): { objects: number; signature: string } {
  const names = readdirSync(dir).sort();
  const objects = names.filter((n) => n.endsWith('.object') && n !== 'token.object').length;
  return { objects, signature: names.map((n) => `${n}:${statSync(join(dir, n)).size}:${statSync(join(dir, n)).mtimeMs}`).join('|') };
}

/** Starts watching; tokens present now (the CAs' own) never move. */
export function startCardCourier(layout: DemoLayout, options: { pollMs?: number; onDelivered?: (tokenDir: string) => void } = {}): { stop(): void; poll(): string[] } {
  const stay = new Set(readdirSync(layout.caHsmTokens));
  const last = new Map<string, string>();
  const poll = (): string[] => {
    const moved: string[] = [];
    for (const token of readdirSync(layout.caHsmTokens)) {
      if (stay.has(token)) continue;
      const dir = join(layout.caHsmTokens, token);
      try {
        const now = fingerprint(dir);
        // Complete and unchanged since the last look: `cards produce` has finished writing it.
        if (now.objects >= completeObjects && last.get(token) === now.signature) {
          if (!existsSync(join(layout.cardTokens, token))) renameSync(dir, join(layout.cardTokens, token));
          last.delete(token);
          moved.push(token);
          options.onDelivered?.(token);
        } else last.set(token, now.signature);
      } catch {
        // half-created by SoftHSM right now: look again next time
      }
    }
    return moved;
  };
  const timer = setInterval(poll, options.pollMs ?? 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), poll };
}
