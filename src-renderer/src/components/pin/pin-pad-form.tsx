/**
 * PIN change or unblock on a reader with a PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH): no fields at all.
 * The call returns only when the holder has typed on the reader or pressed its Cancel key, so the status
 * says what to type there meanwhile; PKCS#11 offers no way to stop the reader from the app.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi, PinState } from '../../../../src-shared/contract/index.js';
import { type PinAction, PinOutcome, type PinOutcomeValue, outcomeOf } from './pin-outcome.js';

export function PinPadForm({
  api,
  slotId,
  action,
  onDone,
  onFailed,
  onWaiting,
}: {
  api: ObnovaApi;
  slotId: string;
  action: PinAction;
  onDone: (state: PinState) => void;
  onFailed?: () => void;
  /** The reader is waiting for the holder (the screen keeps other choices out of the way meanwhile). */
  onWaiting?: (waiting: boolean) => void;
}) {
  const { t } = useTranslation();
  const [waiting, setWaiting] = useState(false);
  const [outcome, setOutcome] = useState<PinOutcomeValue>(null);

  const start = async (): Promise<void> => {
    setWaiting(true);
    onWaiting?.(true);
    setOutcome(null);
    const result = action === 'change' ? await api.changePin({ slotId, pinPad: true }) : await api.unblockPin({ slotId, pinPad: true });
    setWaiting(false);
    onWaiting?.(false);
    setOutcome(outcomeOf(result));
    if (result.ok) onDone(result.value);
    else onFailed?.();
  };

  return (
    <div className="settings-form" data-testid={`pin-pad-${action}`}>
      <p className="field-hint">{t(action === 'change' ? 'pin.padChangeIntro' : 'pin.padUnblockIntro')}</p>
      <div className="form-actions">
        <button type="button" className="button button--primary" disabled={waiting} onClick={() => void start()}>
          {t(action === 'change' ? 'pin.padChange' : 'pin.padUnblock')}
        </button>
      </div>
      <PinOutcome action={action} outcome={outcome} waiting={waiting ? t(action === 'change' ? 'pin.padWaitingChange' : 'pin.padWaitingUnblock') : null} />
    </div>
  );
}
