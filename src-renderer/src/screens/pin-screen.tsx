/**
 * PIN and PUK: choose the card, see its PIN state and rules, then change the PIN or unblock it with the PUK —
 * on a reader with a PIN pad, on the reader's keypad by default (the PINs never pass through the app).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi, PinInfo, TokenInfo } from '../../../src-shared/contract/index.js';
import '../components/diagnostics/helpdesk.css';
import { PinForm, type PinAction } from '../components/pin/pin-form.js';
import { PinPadForm } from '../components/pin/pin-pad-form.js';
import { PinStateNote } from '../components/pin/pin-state-note.js';
import { ScreenHead } from '../components/screen-head.js';

/** `slotId`: the card to start on (a renewal step sent the holder here to unblock it); else the first card. */
export function PinScreen({ api, slotId: startOn }: { api: ObnovaApi; slotId?: string | undefined }) {
  const { t } = useTranslation();
  const [tokens, setTokens] = useState<TokenInfo[] | null>(null);
  const [slotId, setSlotId] = useState('');
  const [info, setInfo] = useState<PinInfo | null>(null);
  const [action, setAction] = useState<PinAction>('change');
  /** On a PIN-pad reader: the holder chose to type the PINs on screen after all. */
  const [typeOnScreen, setTypeOnScreen] = useState(false);
  /** The reader waits for the holder: switching card, tool or input now would hide the call's outcome. */
  const [padWaiting, setPadWaiting] = useState(false);

  useEffect(() => {
    void api.listTokens({}).then((result) => {
      const list = result.ok ? result.value.tokens : [];
      setTokens(list);
      setSlotId((current) => current || (list.some((t) => t.slotId === startOn) ? startOn! : list[0]?.slotId) || '');
    });
  }, [api, startOn]);

  const loadInfo = useCallback(() => {
    if (!slotId) return;
    void api.getPinState({ slotId }).then((result) => {
      if (!result.ok) return setInfo(null);
      setInfo(result.value);
      // Each card starts on what it needs: a locked PIN cannot be changed, so the unblock; else the change.
      setAction(result.value.pin.locked ? 'unblock' : 'change');
    });
  }, [api, slotId]);

  useEffect(loadInfo, [loadInfo]);

  /** After a failed try the card's state changed (tries left, locked): show it, but stay on the form and its message. */
  const refreshState = useCallback(() => {
    if (!slotId) return;
    void api.getPinState({ slotId }).then((result) => result.ok && setInfo(result.value));
  }, [api, slotId]);

  const canUnblock = info?.unblock === 'so-login-init-pin' || info?.unblock === 'set-pin-unauthenticated';
  return (
    <>
      <ScreenHead title={t('pin.heading')} intro={t('pin.intro')} />
      {tokens !== null && tokens.length === 0 && <p className="notice">{t('pin.noCard')}</p>}
      {tokens !== null && tokens.length > 0 && (
        <div className="settings-form">
          <div>
            <label htmlFor="pin-card">{t('pin.card')}</label>
            <select id="pin-card" value={slotId} disabled={padWaiting} onChange={(e) => setSlotId(e.target.value)}>
              {tokens.map((token) => (
                <option key={token.slotId} value={token.slotId}>
                  {token.label} ({token.serialNumber})
                </option>
              ))}
            </select>
          </div>
          {info && <PinStateNote info={info} />}
          <div className="form-actions" role="group" aria-label={t('pin.heading')}>
            <button type="button" className={action === 'change' ? 'button button--primary' : 'button'} aria-pressed={action === 'change'} onClick={() => setAction('change')} disabled={info?.pin.locked === true || padWaiting}>
              {t('pin.change')}
            </button>
            <button type="button" className={action === 'unblock' ? 'button button--primary' : 'button'} aria-pressed={action === 'unblock'} onClick={() => setAction('unblock')} disabled={padWaiting}>
              {t('pin.unblock')}
            </button>
          </div>
        </div>
      )}
      {info && action === 'unblock' && !canUnblock && <p className="notice notice--warning">{t('pin.unblockVendor')}</p>}
      {info && (action === 'change' || canUnblock) && (info.pin.protectedAuthenticationPath && !typeOnScreen ? (
        <PinPadForm key={`${slotId}-${action}-pad`} api={api} slotId={slotId} action={action} onDone={(pin) => setInfo({ ...info, pin })} onFailed={refreshState} onWaiting={setPadWaiting} />
      ) : (
        <PinForm key={`${slotId}-${action}`} api={api} slotId={slotId} action={action} onDone={(pin) => setInfo({ ...info, pin })} onFailed={refreshState} />
      ))}
      {info?.pin.protectedAuthenticationPath && (action === 'change' || canUnblock) && (
        <button type="button" className="button" disabled={padWaiting} onClick={() => setTypeOnScreen((value) => !value)}>
          {t(typeOnScreen ? 'pin.usePad' : 'pin.typeHere')}
        </button>
      )}
    </>
  );
}
