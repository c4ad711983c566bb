/**
 * One queue per slot: work on one token runs one job at a time, work on different tokens runs side by
 * side. Also counts the jobs that hold handles, so a module-wide C_Finalize never lands under one.
 */
import type { ObnovaError } from '../../src-shared/contract/errors.js';

interface Waiting {
  start: () => void;
  reject: (error: ObnovaError) => void;
}

/** Per-slot promise chains with cancellation of the jobs that have not started yet. */
export class SlotQueues {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly waiting = new Map<string, Set<Waiting>>();
  private active = 0;

  /** Jobs queued or running on any slot (module-wide work waits for zero). */
  get busy(): number {
    return this.active;
  }

  /** Runs `job` after every earlier job of the same slot has settled. */
  run<T>(slotId: string, job: () => Promise<T> | T): Promise<T> {
    this.active++;
    const previous = this.tails.get(slotId) ?? Promise.resolve();
    let entry: Waiting | undefined;
    const result = new Promise<T>((resolve, reject) => {
      entry = {
        start: () => {
          Promise.resolve()
            .then(job)
            .then(resolve, reject);
        },
        reject,
      };
    });
    // Counted down in a reaction registered before the caller's, so a caller that awaited the job sees it gone.
    result.then(
      () => this.active--,
      () => this.active--,
    );
    const waitingHere = this.waiting.get(slotId) ?? new Set<Waiting>();
    this.waiting.set(slotId, waitingHere);
    waitingHere.add(entry!);
    void previous.then(() => {
      // A cancelled job was rejected already and is no longer in the set: skip it.
      if (waitingHere.delete(entry!)) entry!.start();
    });
    // The tail waits for the earlier jobs too: a cancelled job settles at once, but the job running
    // before it still holds the token.
    const tail = previous.then(() => result).then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(slotId, tail);
    void tail.then(() => {
      if (this.tails.get(slotId) === tail) {
        this.tails.delete(slotId);
        if (waitingHere.size === 0) this.waiting.delete(slotId);
      }
    });
    return result;
  }

  /** Resolves when every job queued so far, on every slot, has settled. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }

  /** Rejects every job of the slot that has not started (the card was removed); the running one ends on its own. */
  cancel(slotId: string, error: ObnovaError): number {
    const waitingHere = this.waiting.get(slotId);
    if (!waitingHere) return 0;
    const cancelled = [...waitingHere];
    waitingHere.clear();
    for (const entry of cancelled) entry.reject(error);
    return cancelled.length;
  }
}
