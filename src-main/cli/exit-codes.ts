/** Exit codes of `obnova`, documented in docs/cli.md. Scripts depend on them: never renumber. */
import type { ErrorCode } from '../../src-shared/contract/index.js';

export const exitCodes = { ok: 0, usage: 1, noModuleOrToken: 2, tokenError: 3 } as const;

const noModuleOrToken: ReadonlySet<ErrorCode> = new Set([
  'TOKEN_MODULE_NOT_CONFIGURED',
  'TOKEN_MODULE_NOT_FOUND',
  'TOKEN_MODULE_INVALID',
  'TOKEN_MODULE_INIT_FAILED',
  'TOKEN_NOT_PRESENT',
  'TOKEN_SLOT_NOT_FOUND',
]);

export function exitCodeFor(code: ErrorCode): number {
  if (code === 'INPUT_INVALID' || code === 'CALL_UNKNOWN') return exitCodes.usage;
  if (noModuleOrToken.has(code)) return exitCodes.noModuleOrToken;
  return exitCodes.tokenError;
}
