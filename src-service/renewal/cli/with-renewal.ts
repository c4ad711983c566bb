/** Opens the CA and the renewal context for one CLI command, and closes them after. */
import { CaService } from '../../ca/ca-service.js';
import { applyHsmEnvironment, loadConfig } from '../../config.js';
import type { CliIo } from '../../cli/args.js';
import { loadPolicy } from '../policy/load-policy.js';
import { loadRenewalConfig } from '../renewal-config.js';
import { renewalContext, type RenewalContext } from '../renewal-context.js';

/** Runs `fn` with a context for the CA in `dir`. */
export async function withRenewal<T>(dir: string, io: CliIo, fn: (ctx: RenewalContext) => Promise<T>): Promise<T> {
  const config = loadConfig(dir, io.env);
  applyHsmEnvironment(config);
  const renewal = loadRenewalConfig(config.dir, io.env);
  const service = await CaService.open(config);
  try {
    const ctx = await renewalContext(service, { policy: renewal.policyDir ? loadPolicy(config.market, renewal.policyDir) : undefined });
    return await fn(ctx);
  } finally {
    await service.close();
  }
}
