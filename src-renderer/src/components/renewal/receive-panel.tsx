/** Receive: the PIN, one button, and each step's progress as main reports it (renewal.progress). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, ObnovaApi, ReceiveResult, ReceiveStepName } from '../../../../src-shared/contract/index.js';
import { TextField } from './text-field.js';

const steps: readonly ReceiveStepName[] = ['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed'];

type Phase = { phase: 'idle' } | { phase: 'working' } | { phase: 'done'; result: ReceiveResult } | { phase: 'error'; error: AppError };

export function ReceivePanel({ api, orderId, onDone }: { api: ObnovaApi; orderId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [state, setState] = useState<Phase>({ phase: 'idle' });
  const [progress, setProgress] = useState<Partial<Record<ReceiveStepName, 'started' | 'done'>>>({});

  useEffect(() => api.onRenewalProgress((p) => p.orderId === orderId && setProgress((v) => ({ ...v, [p.step]: p.state }))), [api, orderId]);

  const start = (): void => {
    if (!pin) return;
    setState({ phase: 'working' });
    setProgress({});
    void api.receiveCertificate({ orderId, pin }).then((result) => {
      setPin('');
      if (result.ok) {
        setState({ phase: 'done', result: result.value });
        onDone();
      } else setState({ phase: 'error', error: result.error });
    });
  };

  return (
    <section className="receive-panel" data-testid="receive-panel" aria-label={t('renewalReceive.heading')}>
      <h3>{t('renewalReceive.heading')}</h3>
      <p>{t('renewalReceive.intro')}</p>
      {state.phase !== 'done' && (
        <form
          className="renewal-form"
          onSubmit={(e) => {
            e.preventDefault();
            start();
          }}
        >
          <TextField label={t('renewalSubmit.pin')} type="password" value={pin} onChange={setPin} problem={null} autoComplete="off" testId="receive-pin" />
          <button type="submit" className="button button--primary" disabled={state.phase === 'working' || !pin} data-testid="receive-start">
            {t('renewalReceive.start')}
          </button>
        </form>
      )}
      <ol className="receive-steps" aria-live="polite">
        {steps.map((step) => {
          const s = progress[step] ?? 'pending';
          return (
            <li key={step} data-testid="receive-step" data-step={step} data-state={s}>
              <span className={`chip chip--${s === 'done' ? 'ok' : s === 'started' ? 'info' : 'warning'}`}>{t(`renewalReceive.state.${s}`)}</span> {t(`renewalReceive.steps.${step}`)}
            </li>
          );
        })}
      </ol>
      <p className="status" role="status">
        {state.phase === 'working' ? t('renewalReceive.working') : state.phase === 'done' ? t('renewalReceive.done') : ''}
      </p>
      {state.phase === 'error' && (
        <div className="panel panel--error" role="alert" data-testid="receive-error" data-code={state.error.code}>
          <p>{t(`errors.${state.error.code}`, { defaultValue: t('errorFallback') })}</p>
          <p>{t('renewalReceive.resume')}</p>
          <p className="error-code">{t('cards.errorCode', { code: state.error.code })}</p>
        </div>
      )}
    </section>
  );
}
