/**
 * Receive: the PIN, one button, and each step's progress as main reports it (renewal.progress). On a reader
 * with a PIN pad the PIN is typed on the reader (typing it here stays one click away).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, ObnovaApi, ReceiveResult, ReceiveStepName } from '../../../../src-shared/contract/index.js';
import { useCardPin } from '../../hooks/use-card-pin.js';
import { ErrorAlert } from '../error-alert.js';
import { cancelledOnReader, PadCancelled, PinEntrySwitch } from './pad-entry.js';
import { pinBlocked, RenewalPinEntry, renewalPinOf } from './renewal-pin-entry.js';

const steps: readonly ReceiveStepName[] = ['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed'];

type Phase = { phase: 'idle' } | { phase: 'working' } | { phase: 'done'; result: ReceiveResult } | { phase: 'error'; error: AppError };

/** `fingerprintSha256`: the certificate being renewed, which finds its card (and whether its reader has a pad). */
export function ReceivePanel(props: { api: ObnovaApi; orderId: string; fingerprintSha256: string; onDone: () => void; onUnblockPin: (slotId: string) => void }) {
  const { api, orderId, fingerprintSha256, onDone } = props;
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [state, setState] = useState<Phase>({ phase: 'idle' });
  const [progress, setProgress] = useState<Partial<Record<ReceiveStepName, 'started' | 'done'>>>({});
  const card = useCardPin(api, { fingerprintSha256 });
  /** On a PIN-pad reader: the holder chose to type the PIN on screen after all. */
  const [typeHere, setTypeHere] = useState(false);
  const onPad = card.readerPad && !typeHere;

  useEffect(() => api.onRenewalProgress((p) => p.orderId === orderId && setProgress((v) => ({ ...v, [p.step]: p.state }))), [api, orderId]);

  const start = (): void => {
    const credential = renewalPinOf(card.info, onPad, pin);
    if (!credential) return;
    setState({ phase: 'working' });
    setProgress({});
    void api.receiveCertificate({ orderId, pin: credential }).then((result) => {
      setPin('');
      if (result.ok) {
        setState({ phase: 'done', result: result.value });
        onDone();
      } else {
        setState({ phase: 'error', error: result.error });
        // Tries left or the sitting may have changed: show the card's PIN state as it is now.
        card.refresh();
      }
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
          <RenewalPinEntry info={card.info} onPad={onPad} pin={pin} onPin={setPin} problem={null} padNote={t('renewalPad.receiveNote')} testId="receive" onUnblock={props.onUnblockPin} />
          <button type="submit" className="button button--primary" disabled={state.phase === 'working' || renewalPinOf(card.info, onPad, pin) === null || pinBlocked(card.info)} data-testid="receive-start">
            {t(onPad ? 'renewalPad.receive' : 'renewalReceive.start')}
          </button>
          {card.readerPad && <PinEntrySwitch onPad={onPad} disabled={state.phase === 'working'} onToggle={() => setTypeHere((v) => !v)} testId="receive-pin-entry" />}
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
      <p className="status" role="status" data-testid="receive-status">
        {/* Until the card is unlocked the reader is (about to be) waiting for the PIN. */}
        {state.phase === 'working' ? t(onPad && progress.login !== 'done' ? 'renewalPad.receiveWaiting' : 'renewalReceive.working') : state.phase === 'done' ? t('renewalReceive.done') : ''}
      </p>
      {state.phase === 'error' && cancelledOnReader(state.error) && <PadCancelled text={t('renewalPad.receiveCancelled')} testId="receive-pad-cancelled" />}
      {state.phase === 'error' && !cancelledOnReader(state.error) && (
        <ErrorAlert error={state.error} testId="receive-error" focus>
          <p>{t('renewalReceive.resume')}</p>
        </ErrorAlert>
      )}
    </section>
  );
}
