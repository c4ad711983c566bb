/**
 * Whether a card sits in a reader with a PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH, from tokens.list), so
 * the renewal asks for the PIN there instead of in a field. The card is named by its slot, or — for an
 * order, whose card may sit in another slot since — by its certificate's fingerprint. False until known.
 */
import { useEffect, useState } from 'react';
import type { ObnovaApi } from '../../../src-shared/contract/index.js';

/** The card: its slot, or the fingerprint of a certificate on it. */
export type CardWhere = { slotId: string } | { fingerprintSha256: string };

async function slotOf(api: ObnovaApi, slotId: string | undefined, fingerprint: string | undefined): Promise<string | null> {
  if (slotId !== undefined) return slotId;
  const list = await api.listCertificates({});
  if (!list.ok) return null;
  return list.value.certificates.find((c) => c.readable && c.fingerprintSha256 === fingerprint)?.slotId ?? null;
}

export function useReaderPad(api: ObnovaApi, where: CardWhere): boolean {
  const [pad, setPad] = useState(false);
  // Strings, not the object, drive the effect: the caller builds a new object every render.
  const slotId = 'slotId' in where ? where.slotId : undefined;
  const fingerprint = 'fingerprintSha256' in where ? where.fingerprintSha256 : undefined;
  useEffect(() => {
    let live = true;
    void (async () => {
      const [slot, tokens] = await Promise.all([slotOf(api, slotId, fingerprint), api.listTokens({})]);
      const token = tokens.ok && slot !== null ? tokens.value.tokens.find((t) => t.slotId === slot) : undefined;
      if (live) setPad(token?.pin.protectedAuthenticationPath === true);
    })();
    return () => {
      live = false;
    };
  }, [api, slotId, fingerprint]);
  return pad;
}
