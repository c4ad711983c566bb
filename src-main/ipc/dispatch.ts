/**
 * The one entry for every call from outside the main services (IPC, bridge, CLI):
 * checks the call name, parses the input with the contract, runs the handler, returns a Result.
 */
import { calls, isCallName, ObnovaError, toAppError, type CallName, type CallOutput, type CallParsedInput, type Result } from '../../src-shared/contract/index.js';
import type { Logger } from '../app/logger.js';

export type Handlers = { [C in CallName]: (input: CallParsedInput<C>) => Promise<CallOutput<C>> };

export async function dispatchCall(handlers: Handlers, name: string, rawInput: unknown, log?: Logger): Promise<Result<unknown>> {
  if (!isCallName(name)) {
    return { ok: false, error: { code: 'CALL_UNKNOWN', message: `no call named ${JSON.stringify(name.slice(0, 64))}` } };
  }
  const parsed = calls[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'input';
    return { ok: false, error: { code: 'INPUT_INVALID', message: `${where}: ${issue?.message ?? 'invalid'}`, details: { field: where } } };
  }
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    // Checking our own output keeps the contract honest: a drift is a bug, reported as INTERNAL.
    const checked = calls[name].output.safeParse(value);
    if (!checked.success) {
      log?.error({ call: name, issues: checked.error.issues.slice(0, 3) }, 'handler output does not match the contract');
      return { ok: false, error: { code: 'INTERNAL', message: 'output did not match the contract' } };
    }
    return { ok: true, value: checked.data };
  } catch (error) {
    if (!(error instanceof ObnovaError)) log?.error({ call: name, err: error }, 'unexpected error in handler');
    return { ok: false, error: toAppError(error) };
  }
}
