/** What the holder should know before typing: tries left (as far as the card tells), length rules, PIN pad. */
import { useTranslation } from 'react-i18next';
import type { PinInfo } from '../../../../src-shared/contract/index.js';

export function PinStateNote({ info }: { info: PinInfo }) {
  const { t } = useTranslation();
  const { pin } = info;
  const state = pin.locked ? 'token.pinLocked' : pin.finalTry ? 'token.pinFinalTry' : pin.countLow ? 'token.pinCountLow' : 'pin.stateOk';
  const severity = pin.locked ? 'error' : pin.finalTry || pin.countLow ? 'warning' : 'info';
  return (
    <div data-testid="pin-state" data-locked={pin.locked}>
      <p className={`notice notice--${severity}`}>{t(state)}</p>
      {pin.minLength > 0 && pin.maxLength > 0 && <p className="field-hint">{t('pin.lengthRule', { min: pin.minLength, max: pin.maxLength })}</p>}
      {pin.protectedAuthenticationPath && <p className="field-hint">{t('pin.pinPad')}</p>}
    </div>
  );
}
