/**
 * `obnova pin change|unblock [--slot ID | --token-label LABEL] --pin-stdin|--pin-pad`: PIN change and unblock with the PUK from a
 * terminal. The secrets are read only from standard input (one per line), never from arguments or the
 * environment, which other users can see in the process list — or, with --pin-pad, typed on the reader.
 */
import type { AppError, Locale, PinInfo, PinState, Result, TokenList, TokenSelector } from '../../../src-shared/contract/index.js';
import type { MainServices } from '../../app/main-services.js';
import { dispatchCall } from '../../ipc/dispatch.js';

export interface PinCommandOptions {
  action: 'change' | 'unblock';
  /** The card, chosen as in `certs`, `renew` and `export`: by slot, by token label, or the only one present. */
  card: TokenSelector;
  /** The holder types the secrets on the reader's PIN pad; standard input is not read. */
  pinPad?: boolean;
  /** All of standard input. */
  readStdin: () => Promise<string>;
  json: boolean;
  locale: Locale;
}

export type PinCommandOutcome = { ok: true } | { ok: false; error: AppError };

/** "PIN: 4–255 characters; PIN pad reader; one try left" — what the holder should know before typing. */
export function describePinInfo(info: PinInfo): string {
  const { pin } = info;
  const rules = pin.minLength || pin.maxLength ? `PIN ${pin.minLength || '?'}–${pin.maxLength || '?'} characters` : 'PIN length not reported';
  const state = pin.locked
    ? 'PIN locked (unblock it with the PUK)'
    : pin.finalTry
      ? 'one PIN try left'
      : pin.countLow
        ? 'a wrong PIN was entered recently'
        : info.pinStateReported === false
          ? 'PIN tries left unknown (this middleware reports them only after a wrong PIN)'
          : 'PIN not locked';
  const pad = pin.protectedAuthenticationPath ? '; PIN pad reader' : '';
  const puk = pin.soLocked ? '; PUK locked' : '';
  return `Card "${info.label}" (slot ${info.slotId}): ${state}; ${rules}${pad}${puk}; unblocking: ${info.unblock}`;
}

/** The two lines of standard input: the current PIN (or the PUK) and the new PIN; a trailing \r is dropped. */
export function splitSecrets(input: string): [string, string] | null {
  const lines = input.split('\n').map((line) => line.replace(/\r$/, ''));
  const [first, second] = lines;
  if (!first || !second) return null;
  return [first, second];
}

const inputInvalid = (message: string, field: string): PinCommandOutcome => ({ ok: false, error: { code: 'INPUT_INVALID', message, details: { field } } });

/** The slot of the chosen card: --slot as given, the one token with --token-label, or the only token present. */
async function slotOf(services: MainServices, card: TokenSelector): Promise<{ slotId: string } | PinCommandOutcome> {
  if (card.slotId !== undefined) return { slotId: card.slotId };
  const list = (await dispatchCall(services.handlers, 'tokens.list', {})) as Result<TokenList>;
  if (!list.ok) return { ok: false, error: list.error };
  const tokens = card.tokenLabel === undefined ? list.value.tokens : list.value.tokens.filter((t) => t.label === card.tokenLabel);
  if (tokens.length === 1) return { slotId: tokens[0]!.slotId };
  if (tokens.length === 0 && card.tokenLabel !== undefined) return { ok: false, error: { code: 'TOKEN_SLOT_NOT_FOUND', message: 'no present token has this label', details: { tokenLabel: card.tokenLabel } } };
  if (tokens.length === 0) return { ok: false, error: { code: 'TOKEN_NOT_PRESENT', message: 'no slot holds an initialized token' } };
  const slots = tokens.map((t) => t.slotId).join(', ');
  return inputInvalid(card.tokenLabel === undefined ? `several cards are present (slots ${slots}): choose one with --slot ID or --token-label LABEL` : `several cards carry this label (slots ${slots}): choose one with --slot ID`, 'slot');
}

/** Runs the command; prints the PIN state before and after, never a secret. */
export async function runPinCommand(services: MainServices, options: PinCommandOptions, io: { out(text: string): void; err(text: string): void }): Promise<PinCommandOutcome> {
  const where = await slotOf(services, options.card);
  if (!('slotId' in where)) return where;
  const { slotId } = where;
  const info = (await dispatchCall(services.handlers, 'pin.state', { slotId })) as Result<PinInfo>;
  if (!info.ok) return { ok: false, error: info.error };
  if (!options.json) io.err(describePinInfo(info.value));
  if (options.pinPad) {
    if (!info.value.pin.protectedAuthenticationPath) {
      return inputInvalid('this reader has no PIN pad: use --pin-stdin', 'pin-pad');
    }
    io.err(options.action === 'change' ? 'obnova: type the current PIN on the reader, then the new PIN twice' : 'obnova: type the PUK on the reader, then the new PIN twice');
    const result = (await dispatchCall(services.handlers, options.action === 'change' ? 'pin.change' : 'pin.unblock', { slotId, pinPad: true })) as Result<PinState>;
    return finish(result, info.value, options, io);
  }
  if (info.value.pin.protectedAuthenticationPath) {
    io.err('obnova: this reader has a PIN pad; the PINs are taken from standard input (--pin-pad types them on the reader)');
  }

  const secrets = splitSecrets(await options.readStdin());
  if (!secrets) {
    return inputInvalid(`standard input must hold two lines: ${options.action === 'change' ? 'the current PIN' : 'the PUK'}, then the new PIN`, 'stdin');
  }
  const [first, newPin] = secrets;
  const result = (
    options.action === 'change'
      ? await dispatchCall(services.handlers, 'pin.change', { slotId, oldPin: first, newPin })
      : await dispatchCall(services.handlers, 'pin.unblock', { slotId, puk: first, newPin })
  ) as Result<PinState>;
  return finish(result, info.value, options, io);
}

/** Prints the outcome and the PIN state after it. */
function finish(result: Result<PinState>, before: PinInfo, options: PinCommandOptions, io: { out(text: string): void }): PinCommandOutcome {
  if (!result.ok) return { ok: false, error: result.error };
  const after = { ...before, pin: result.value };
  if (options.json) io.out(JSON.stringify({ action: options.action, done: true, after }, null, 2));
  else io.out(`${options.action === 'change' ? 'The PIN was changed.' : 'The PIN was unblocked and set to the new one.'}\n${describePinInfo(after)}`);
  return { ok: true };
}
