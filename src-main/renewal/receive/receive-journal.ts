/**
 * The receive journal: each step recorded before it starts and after it ends, in the app data folder
 * with atomic, fsynced writes — so a crash, a pulled card or a network drop resumes at the step that
 * did not finish, and a key generated for an order is never generated again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../orders/atomic-file.js';

export const receiveSteps = ['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed'] as const;
export type ReceiveStep = (typeof receiveSteps)[number];

const stepStateSchema = z.object({
  startedAt: z.string(),
  doneAt: z.string().nullable(),
});

export const journalSchema = z.object({
  orderId: z.string(),
  /** The card's certificate that authorises the pickup (SHA-256), to find the card again after reinsertion. */
  oldFingerprint: z.string(),
  steps: z.partialRecord(z.enum(receiveSteps), stepStateSchema),
  /** Set once keygen is done: the new key's CKA_ID and public key. */
  key: z.object({ id: z.string(), spki: z.string(), label: z.string() }).nullable(),
  /** Label chosen before keygen started (unique per order), so a half-done keygen can be recognised. */
  keyLabel: z.string(),
  csr: z.string().nullable(),
  certificate: z.string().nullable(),
  chain: z.array(z.string()),
  serial: z.string().nullable(),
  /**
   * `cmp` when the deployment named a CMP endpoint as the receive began (fixed for the order's receive): then
   * `csr` holds the POP-signed CRMF CertReqMsg, and `cmp` the kup's transaction for certConf after a restart.
   */
  protocol: z.enum(['v1', 'cmp']).optional(),
  cmp: z.object({ transactionId: z.string(), serverNonce: z.string() }).nullable().optional(),
  /** Times the receive was resumed after stopping half way. */
  resumes: z.number().int(),
});
export type Journal = z.infer<typeof journalSchema>;

export interface ReceiveJournal {
  readonly path: string;
  read(): Journal | null;
  write(journal: Journal): void;
}

export function openReceiveJournal(appDataDir: string, orderId: string): ReceiveJournal {
  const path = join(appDataDir, 'journal', `receive-${orderId}.json`);
  return {
    path,
    read: () => {
      if (!existsSync(path)) return null;
      const parsed = journalSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      return parsed.success ? parsed.data : null;
    },
    write: (journal) => writeFileAtomic(path, `${JSON.stringify(journal, null, 2)}\n`),
  };
}

/** Step state helpers: whether a step finished, and the journal with a step begun or ended. */
export function isDone(journal: Journal, step: ReceiveStep): boolean {
  return Boolean(journal.steps[step]?.doneAt);
}

export function begin(journal: Journal, step: ReceiveStep, at: Date): Journal {
  return { ...journal, steps: { ...journal.steps, [step]: { startedAt: at.toISOString(), doneAt: null } } };
}

export function end(journal: Journal, step: ReceiveStep, at: Date, patch: Partial<Journal> = {}): Journal {
  const started = journal.steps[step]?.startedAt ?? at.toISOString();
  return { ...journal, ...patch, steps: { ...journal.steps, [step]: { startedAt: started, doneAt: at.toISOString() } } };
}
