/** Loads tokens and their certificates, reloads on tokens.changed and on demand; the latest request wins. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError, ObnovaApi } from '../../../src-shared/contract/index.js';
import { buildCardViews, type CardView } from '../model/card-view.js';

export type CardListState =
  | { phase: 'loading' }
  | { phase: 'ready'; cards: CardView[]; checkedAt: Date; refreshing: boolean }
  | { phase: 'error'; error: AppError; refreshing: boolean };

type Outcome = { phase: 'ready'; cards: CardView[]; checkedAt: Date } | { phase: 'error'; error: AppError };

/** No token at all is an empty list to the holder, not an error. */
const noTokenCodes = new Set(['TOKEN_NOT_PRESENT']);

async function loadCards(api: ObnovaApi): Promise<Outcome> {
  const [tokens, certificates] = await Promise.all([api.listTokens({}), api.listCertificates({})]);
  const checkedAt = new Date();
  if (!tokens.ok) return noTokenCodes.has(tokens.error.code) ? { phase: 'ready', cards: [], checkedAt } : { phase: 'error', error: tokens.error };
  if (tokens.value.tokens.length === 0) return { phase: 'ready', cards: [], checkedAt };
  if (!certificates.ok) {
    // The card went away between the two calls; tokens.changed will bring the next state.
    if (noTokenCodes.has(certificates.error.code)) return { phase: 'ready', cards: [], checkedAt };
    return { phase: 'error', error: certificates.error };
  }
  return { phase: 'ready', cards: buildCardViews(tokens.value.tokens, certificates.value), checkedAt };
}

export function useCardList(api: ObnovaApi): { state: CardListState; refresh: () => void } {
  const [state, setState] = useState<CardListState>({ phase: 'loading' });
  const latest = useRef(0);

  // Only sets state when an answer arrives, so effects may call it directly.
  const load = useCallback(() => {
    const request = ++latest.current;
    loadCards(api)
      .catch((): Outcome => ({ phase: 'error', error: { code: 'INTERNAL', message: 'loading the card list failed' } }))
      .then((outcome) => {
        if (request === latest.current) setState({ ...outcome, refreshing: false });
      });
  }, [api]);

  const refresh = useCallback(() => {
    setState((previous) => (previous.phase === 'loading' ? previous : { ...previous, refreshing: true }));
    load();
  }, [load]);

  useEffect(() => {
    load();
    return api.onTokensChanged(() => refresh());
  }, [api, load, refresh]);

  return { state, refresh };
}
