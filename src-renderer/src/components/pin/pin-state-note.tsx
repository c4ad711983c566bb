/** What the holder should know before typing: tries left (as far as the card tells), length rules, PIN pad. */
import { useTranslation } from 'react-i18next';
import type { PinInfo } from '../../../../src-shared/contract/index.js';
import { pinTries, pinTriesMessage } from '../../model/pin-tries.js';

export function PinStateNote({ info }: { info: PinInfo }) {
  const { t } = useTranslation();
  const { pin } = info;
  const tries = pinTries(pin);
  const severity = tries === 'locked' ? 'error' : tries === 'ok' ? 'info' : 'warning';
  return (
    <div data-testid="pin-state" data-locked={pin.locked}>
      <p className={`notice notice--${severity}`}>{t(tries === 'ok' ? 'pin.stateOk' : pinTriesMessage[tries])}</p>
      {pin.minLength > 0 && pin.maxLength > 0 && <p className="field-hint">{t('pin.lengthRule', { min: pin.minLength, max: pin.maxLength })}</p>}
      {pin.protectedAuthenticationPath && <p className="field-hint">{t('pin.pinPad')}</p>}
    </div>
  );
}
