/**
 * The renewal's PIN on a reader with a PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH): in place of the PIN
 * field, a note saying the PIN is typed on the reader; after the call, how the reader's Cancel key ended it
 * (not an error to alarm about). Typing the PIN on screen instead stays one click away (PinEntrySwitch).
 */
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../../src-shared/contract/index.js';

/** The holder pressed Cancel on the reader (CKR_FUNCTION_CANCELED), as opposed to a cancelled service wait. */
export const cancelledOnReader = (error: AppError): boolean => error.code === 'CANCELLED' && error.details?.ckr === 'CKR_FUNCTION_CANCELED';

export function PadNote({ text, testId }: { text: string; testId: string }) {
  return (
    <p className="notice" data-testid={testId}>
      {text}
    </p>
  );
}

export function PadCancelled({ text, testId }: { text: string; testId: string }) {
  return (
    <p className="notice notice--warning" role="status" data-code="CANCELLED" data-testid={testId}>
      {text}
    </p>
  );
}

/** Switches between the reader's keypad and the field on screen; off while the reader waits. */
export function PinEntrySwitch({ onPad, disabled, onToggle, testId }: { onPad: boolean; disabled: boolean; onToggle: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button" disabled={disabled} onClick={onToggle} data-testid={testId}>
      {t(onPad ? 'renewalPad.typeHere' : 'pin.usePad')}
    </button>
  );
}
