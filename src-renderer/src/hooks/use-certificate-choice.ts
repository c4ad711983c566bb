/** The holder's renewable certificates on the present cards, and the one chosen (the soonest to expire until they pick). */
import { useState } from 'react';
import type { ObnovaApi } from '../../../src-shared/contract/index.js';
import { certificateKey, preselect, renewableCertificates } from '../model/renewal-certificates.js';
import { useCardList } from './use-card-list.js';

export function useCertificateChoice(api: ObnovaApi) {
  const { state: cards } = useCardList(api);
  const options = cards.phase === 'ready' ? renewableCertificates(cards.cards.flatMap((c) => c.certificates)) : [];
  const [chosen, choose] = useState<string | null>(null);
  const selectedKey = preselect(options, chosen);
  const selected = options.find((c) => certificateKey(c) === selectedKey);
  return { cards, options, selectedKey, selected, choose };
}
