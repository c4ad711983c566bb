/** How a PIN change or unblock ended, typed or on the reader's pad; read out by screen readers (aria-live). */
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../../src-shared/contract/index.js';

export type PinAction = 'change' | 'unblock';
export type PinOutcomeValue = { kind: 'done' } | { kind: 'mismatch' } | { kind: 'cancelled' } | { kind: 'error'; error: AppError } | null;

/** A finished call's result as an outcome: CANCELLED (the reader's Cancel key) is not a failure to alarm about. */
export function outcomeOf(result: { ok: true } | { ok: false; error: AppError }): PinOutcomeValue {
  if (result.ok) return { kind: 'done' };
  return result.error.code === 'CANCELLED' ? { kind: 'cancelled' } : { kind: 'error', error: result.error };
}

export function PinOutcome({ action, outcome, waiting }: { action: PinAction; outcome: PinOutcomeValue; waiting?: string | null }) {
  const { t } = useTranslation();
  return (
    <div aria-live="polite" data-testid="pin-outcome">
      {waiting && (
        <p className="notice" role="status" data-testid="pin-pad-status">
          {waiting}
        </p>
      )}
      {outcome?.kind === 'done' && (
        <p className="notice" role="status">
          {t(action === 'change' ? 'pin.changed' : 'pin.unblocked')}
        </p>
      )}
      {outcome?.kind === 'cancelled' && (
        <p className="notice notice--warning" role="status" data-code="CANCELLED">
          {t('pin.padCancelled')}
        </p>
      )}
      {outcome?.kind === 'mismatch' && (
        <p className="notice notice--error" role="alert">
          {t('pin.mismatch')}
        </p>
      )}
      {outcome?.kind === 'error' && (
        <p className="notice notice--error" role="alert" data-code={outcome.error.code}>
          {t('pin.failed')} {t(`errors.${outcome.error.code}`, { defaultValue: t('errorFallback') })}
        </p>
      )}
    </div>
  );
}
