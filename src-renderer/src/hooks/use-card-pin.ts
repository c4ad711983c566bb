/**
 * What a renewal step needs to know about the card's PIN before the holder types: its state (tries low, final
 * try, locked), whether the reader has a PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH), and whether this
 * sitting has the card unlocked already (then no PIN is asked). From pin.state; the card is named by its
 * slot, or — for an order, whose card may sit in another slot since — by its certificate's fingerprint.
 * Null until known (or while the card is not there).
 */
import { useCallback, useEffect, useState } from 'react';
import type { ObnovaApi, PinInfo } from '../../../src-shared/contract/index.js';

/** The card: its slot, or the fingerprint of a certificate on it. */
export type CardWhere = { slotId: string } | { fingerprintSha256: string };

async function slotOf(api: ObnovaApi, slotId: string | undefined, fingerprint: string | undefined): Promise<string | null> {
  if (slotId !== undefined) return slotId;
  const list = await api.listCertificates({});
  if (!list.ok) return null;
  return list.value.certificates.find((c) => c.readable && c.fingerprintSha256 === fingerprint)?.slotId ?? null;
}

async function pinInfoOf(api: ObnovaApi, slotId: string | undefined, fingerprint: string | undefined): Promise<PinInfo | null> {
  const slot = await slotOf(api, slotId, fingerprint);
  if (slot === null) return null;
  const info = await api.getPinState({ slotId: slot });
  return info.ok ? info.value : null;
}

/**
 * `readerPad`: the PIN is asked on the reader's pad (none is asked once the sitting is unlocked).
 * `refresh()` reads it again: after a failed try (tries left changed) or when the sitting ended.
 */
export function useCardPin(api: ObnovaApi, where: CardWhere): { info: PinInfo | null; readerPad: boolean; refresh: () => void } {
  const [info, setInfo] = useState<PinInfo | null>(null);
  const [asked, setAsked] = useState(0);
  // Strings, not the object, drive the effect: the caller builds a new object every render.
  const slotId = 'slotId' in where ? where.slotId : undefined;
  const fingerprint = 'fingerprintSha256' in where ? where.fingerprintSha256 : undefined;
  useEffect(() => {
    let live = true;
    void pinInfoOf(api, slotId, fingerprint).then((next) => live && setInfo(next));
    return () => {
      live = false;
    };
  }, [api, slotId, fingerprint, asked]);
  const refresh = useCallback(() => setAsked((n) => n + 1), []);
  const readerPad = info?.pin.protectedAuthenticationPath === true && !info.loggedIn;
  return { info, readerPad, refresh };
}
