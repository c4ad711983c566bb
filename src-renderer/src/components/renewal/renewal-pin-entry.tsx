/**
 * The PIN part of Submit and Receive: before anything is typed, the card's PIN state as the PIN screen shows
 * it (tries low, final try, locked → unblock with the PUK), then one of: "no PIN needed, still unlocked from
 * the previous step" (the sitting is logged in), the note for a PIN-pad reader, or the PIN field.
 */
import { useTranslation } from 'react-i18next';
import type { PinInfo, RenewalPin } from '../../../../src-shared/contract/index.js';
import { pinTries, pinTriesMessage } from '../../model/pin-tries.js';
import { PadNote } from './pad-entry.js';
import { TextField } from './text-field.js';

/** What to send as the step's PIN, or null while the holder still has to type it (or cannot: locked). */
export function renewalPinOf(info: PinInfo | null, onPad: boolean, typed: string): RenewalPin | null {
  if (info?.loggedIn) return { sitting: true };
  if (info?.pin.locked) return null;
  if (onPad) return { pinPad: true };
  return typed ? typed : null;
}

/** The card's PIN is locked and this sitting is not unlocked: nothing can be signed until the PUK unblocks it. */
export const pinBlocked = (info: PinInfo | null): boolean => !!info && !info.loggedIn && info.pin.locked;

export function RenewalPinEntry(props: {
  info: PinInfo | null;
  onPad: boolean;
  pin: string;
  onPin: (pin: string) => void;
  problem: string | null;
  hint?: string;
  padNote: string;
  /** Prefix of the test ids: `submit` or `receive`. */
  testId: string;
  onUnblock: (slotId: string) => void;
}) {
  const { t } = useTranslation();
  const { info, testId } = props;
  if (info?.loggedIn) {
    return (
      <p className="notice" data-testid={`${testId}-pin-sitting`}>
        {t('renewalPin.sitting')}
      </p>
    );
  }
  const pin = info?.pin;
  const state = pin ? pinTries(pin) : 'ok';
  return (
    <>
      {pin && state !== 'ok' && (
        <div className={`notice notice--${state === 'locked' ? 'error' : 'warning'}`} role={state === 'locked' ? 'alert' : undefined} data-testid={`${testId}-pin-state`} data-state={state}>
          <p>{t(pinTriesMessage[state])}</p>
          {state === 'locked' && (
            <>
              <p>{t('renewalPin.lockedNext')}</p>
              <button type="button" className="button" onClick={() => props.onUnblock(info.slotId)} data-testid={`${testId}-pin-unblock`}>
                {t('renewalPin.unblock')}
              </button>
            </>
          )}
        </div>
      )}
      {pin?.locked ? null : props.onPad ? (
        <PadNote text={props.padNote} testId={`${testId}-pad-note`} />
      ) : (
        <TextField label={t('renewalSubmit.pin')} type="password" value={props.pin} onChange={props.onPin} problem={props.problem} autoComplete="off" hint={props.hint} testId={`${testId}-pin`} />
      )}
    </>
  );
}
