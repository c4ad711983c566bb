/**
 * How a card's PIN stands before the holder types, as far as the card tells (CKF_USER_PIN_LOCKED,
 * _FINAL_TRY, _COUNT_LOW): one reading for the card list, the PIN screen and the renewal's PIN step.
 */
import type { PinState } from '../../../src-shared/contract/index.js';

export type PinTries = 'locked' | 'final-try' | 'count-low' | 'ok';

export function pinTries(pin: Pick<PinState, 'locked' | 'finalTry' | 'countLow'>): PinTries {
  return pin.locked ? 'locked' : pin.finalTry ? 'final-try' : pin.countLow ? 'count-low' : 'ok';
}

/** The catalogue key that words a PIN that needs care. */
export const pinTriesMessage = { locked: 'token.pinLocked', 'final-try': 'token.pinFinalTry', 'count-low': 'token.pinCountLow' } as const satisfies Record<Exclude<PinTries, 'ok'>, string>;
