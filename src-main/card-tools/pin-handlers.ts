/**
 * Handlers for the PIN tools (pin.state, pin.change, pin.unblock) over the token layer's CardOperations.
 * The PIN and PUK are passed straight through (or typed on the reader's pad); nothing here logs, keeps or returns them.
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { Logger } from '../app/logger.js';
import type { Handlers } from '../ipc/dispatch.js';
import type { PinUnblockStrategy } from '../token/native-config.js';
import type { TokenService } from '../token/token-service.js';

type PinCalls = 'pin.state' | 'pin.change' | 'pin.unblock';

/** Every secret typed on the reader's PIN pad, none through the app. */
const onPad = { pinPad: true } as const;

export interface PinDeps {
  tokens: () => TokenService;
  /** How the loaded module unblocks PINs (native-config `pinUnblockStrategy`; the token layer's default otherwise). */
  unblockStrategy: () => PinUnblockStrategy;
  /** false when the module reports PIN counter flags only after a failed login (native-config `pinFlagsBeforeFailedLogin`). */
  pinStateReported?: () => boolean;
  log: Logger;
}

/** The three PIN calls. Logs say what was done to which slot and how it ended, never with what. */
export function createPinHandlers(deps: PinDeps): Pick<Handlers, PinCalls> {
  const outcome = async <T>(operation: string, slotId: string, run: () => Promise<T>): Promise<T> => {
    try {
      const value = await run();
      deps.log.info({ source: 'pin', operation, slotId }, 'PIN operation done');
      return value;
    } catch (error) {
      deps.log.warn({ source: 'pin', operation, slotId, code: error instanceof ObnovaError ? error.code : 'INTERNAL' }, 'PIN operation failed');
      throw error;
    }
  };

  return {
    'pin.state': async ({ slotId }) => {
      const service = deps.tokens();
      const { tokens } = await service.listTokens();
      const token = tokens.find((t) => t.slotId === slotId);
      if (!token) throw new ObnovaError('TOKEN_SLOT_NOT_FOUND', 'no present token in this slot', { slotId });
      // The listing has just read this token's CK_TOKEN_INFO, PIN flags included: no second C_GetTokenInfo for them.
      return { slotId, label: token.label, pin: token.pin, loggedIn: await service.isLoggedIn(slotId), unblock: deps.unblockStrategy(), ...(deps.pinStateReported?.() === false ? { pinStateReported: false } : {}) };
    },
    'pin.change': (input) =>
      outcome('change', input.slotId, () =>
        'pinPad' in input ? deps.tokens().changePin(input.slotId, onPad, onPad) : deps.tokens().changePin(input.slotId, input.oldPin, input.newPin),
      ),
    'pin.unblock': (input) =>
      outcome('unblock', input.slotId, () =>
        'pinPad' in input ? deps.tokens().unblockPin(input.slotId, onPad, onPad) : deps.tokens().unblockPin(input.slotId, input.puk, input.newPin),
      ),
  };
}
