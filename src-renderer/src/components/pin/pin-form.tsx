/**
 * One form for both PIN tools: change (current PIN + new twice) or unblock (PUK + new twice). The fields are
 * cleared after every attempt, so no PIN stays in the page longer than the call that needs it.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi, PinState } from '../../../../src-shared/contract/index.js';
import { type PinAction, PinOutcome, type PinOutcomeValue, outcomeOf } from './pin-outcome.js';

export type { PinAction } from './pin-outcome.js';

export function PinForm({ api, slotId, action, onDone, onFailed }: { api: ObnovaApi; slotId: string; action: PinAction; onDone: (state: PinState) => void; onFailed?: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [first, setFirst] = useState('');
  const [newPin, setNewPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<PinOutcomeValue>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (newPin !== repeat) {
      setOutcome({ kind: 'mismatch' });
      return;
    }
    setBusy(true);
    const result = action === 'change' ? await api.changePin({ slotId, oldPin: first, newPin }) : await api.unblockPin({ slotId, puk: first, newPin });
    setFirst('');
    setNewPin('');
    setRepeat('');
    setBusy(false);
    setOutcome(outcomeOf(result));
    if (result.ok) onDone(result.value);
    else onFailed?.();
  };

  const field = (name: string) => `${id}-${name}`;
  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} data-testid={`pin-form-${action}`}>
      <div>
        <label htmlFor={field('first')}>{t(action === 'change' ? 'pin.currentPin' : 'pin.puk')}</label>
        <input id={field('first')} type="password" autoComplete="off" inputMode="numeric" value={first} onChange={(e) => setFirst(e.target.value)} required />
      </div>
      <div>
        <label htmlFor={field('new')}>{t('pin.newPin')}</label>
        <input id={field('new')} type="password" autoComplete="off" inputMode="numeric" value={newPin} onChange={(e) => setNewPin(e.target.value)} required />
      </div>
      <div>
        <label htmlFor={field('repeat')}>{t('pin.repeatPin')}</label>
        <input id={field('repeat')} type="password" autoComplete="off" inputMode="numeric" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {/* Not the name of the tool's own button above ("Change the PIN"): each button's name says what it does. */}
          {t(action === 'change' ? 'pin.submitChange' : 'pin.submitUnblock')}
        </button>
      </div>
      <PinOutcome action={action} outcome={outcome} />
    </form>
  );
}
