/** The holder's renewable certificates on the present cards, and the one chosen (the soonest to expire until they pick). */
import { useState } from 'react';
import type { ObnovaApi } from '../../../src-shared/contract/index.js';
import { certificateKey, preselect, renewableCertificates } from '../model/renewal-certificates.js';
import { useCardList } from './use-card-list.js';
import { useReplacedCertificates } from './use-replaced-certificates.js';

export function useCertificateChoice(api: ObnovaApi) {
  const { state: cards } = useCardList(api);
  const replaced = useReplacedCertificates(api);
  // Certificates already renewed go last, so the one preselected is one that still needs renewing (or the new one, to export).
  const all = cards.phase === 'ready' ? renewableCertificates(cards.cards.flatMap((c) => c.certificates)) : [];
  const options = [...all.filter((c) => !replaced.has(c.fingerprintSha256)), ...all.filter((c) => replaced.has(c.fingerprintSha256))];
  const [chosen, choose] = useState<string | null>(null);
  const selectedKey = preselect(options, chosen);
  const selected = options.find((c) => certificateKey(c) === selectedKey);
  return { cards, options, selectedKey, selected, choose };
}
