/** The stable code a promise fails with: 'no error' when it succeeds; anything but an ObnovaError is rethrown. */
import { ObnovaError } from '../../src-shared/contract/errors.js';

export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ObnovaError) return error.code;
    throw error;
  }
  return 'no error';
}
