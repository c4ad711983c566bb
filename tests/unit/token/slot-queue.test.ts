import { describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { SlotQueues } from '../../../src-main/token/slot-queue.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('SlotQueues', () => {
  it('runs jobs of one slot one after another and jobs of two slots side by side', async () => {
    const queues = new SlotQueues();
    const log: string[] = [];
    const gate = deferred();
    const a1 = queues.run('1', async () => {
      log.push('a1 start');
      await gate.promise;
      log.push('a1 end');
    });
    const a2 = queues.run('1', () => void log.push('a2'));
    const b1 = queues.run('2', () => void log.push('b1'));
    await b1;
    expect(log).toEqual(['a1 start', 'b1']);
    expect(queues.busy).toBe(2);
    gate.resolve();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    expect(queues.busy).toBe(0);
  });

  it('a failed job does not stop the next one', async () => {
    const queues = new SlotQueues();
    await expect(queues.run('1', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queues.run('1', () => 42)).toBe(42);
  });

  it('cancel() rejects waiting jobs only; jobs queued later still wait for the running one', async () => {
    const queues = new SlotQueues();
    const gate = deferred();
    const log: string[] = [];
    const running = queues.run('1', async () => {
      await gate.promise;
      log.push('running done');
    });
    const waiting = queues.run('1', () => void log.push('never'));
    await new Promise((r) => setTimeout(r, 0)); // the first job has started
    const removed = new ObnovaError('TOKEN_REMOVED', 'gone');
    expect(queues.cancel('1', removed)).toBe(1);
    await expect(waiting).rejects.toBe(removed);
    const later = queues.run('1', () => void log.push('later'));
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual([]);
    gate.resolve();
    await Promise.all([running, later]);
    expect(log).toEqual(['running done', 'later']);
    await queues.idle();
    expect(queues.busy).toBe(0);
  });
});
