/** Shared CLI plumbing: the CA directory, the acting user, output, and refusing secrets on the command line. */
import { userInfo } from 'node:os';
import { ObnovaError } from '../../src-shared/contract/errors.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** --dir, else OBNOVA_CA_DIR, else the working directory. */
export function caDir(values: { dir?: string | undefined }, env: NodeJS.ProcessEnv): string {
  return values.dir ?? env.OBNOVA_CA_DIR ?? process.cwd();
}

/** Who is acting, for the audit log: OBNOVA_CA_ACTOR or the OS user. */
export function actor(env: NodeJS.ProcessEnv): string {
  return env.OBNOVA_CA_ACTOR ?? `cli:${userInfo().username}`;
}

/** PINs and PUKs come from files or the environment only: argv is visible to every local user (ps). */
export function refuseSecretsInArgv(argv: string[]): void {
  for (const arg of argv) {
    if (/^--(pin|puk|so-pin|user-pin)(=|$)/.test(arg)) {
      throw new ObnovaError('INPUT_INVALID', `${arg.split('=')[0]} is not accepted on the command line; use --pin-file or the environment`);
    }
  }
}
