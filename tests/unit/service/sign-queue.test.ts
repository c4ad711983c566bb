import { describe, expect, it } from 'vitest';
import { SignPool, SignQueue } from '../../../src-service/ca/sign-queue.js';

describe('SignQueue', () => {
  it('runs jobs one at a time in order', async () => {
    const queue = new SignQueue(10);
    const log: string[] = [];
    let running = 0;
    const job = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([queue.run(job('a')), queue.run(job('b')), queue.run(job('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('refuses work beyond its bound with CA_HSM_BUSY and accepts again once drained', async () => {
    const queue = new SignQueue(2);
    const slow = () => new Promise((r) => setTimeout(r, 10));
    const first = queue.run(slow);
    const second = queue.run(slow);
    await expect(queue.run(slow)).rejects.toMatchObject({ code: 'CA_HSM_BUSY' });
    await Promise.all([first, second]);
    expect(queue.size).toBe(0);
    await expect(queue.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('keeps going after a failed job', async () => {
    const queue = new SignQueue(5);
    const failed = queue.run(async () => {
      throw new Error('token removed');
    });
    const next = queue.run(async () => 'next');
    await expect(failed).rejects.toThrow('token removed');
    await expect(next).resolves.toBe('next');
  });
});

describe('SignPool', () => {
  it('runs jobs on different lanes in parallel, one at a time per lane, within one bound', async () => {
    const pool = new SignPool(2, 3);
    const running = [0, 0];
    let parallel = 0;
    const job = async (lane: number) => {
      running[lane]!++;
      expect(running[lane]).toBe(1);
      parallel = Math.max(parallel, running[0]! + running[1]!);
      await new Promise((r) => setTimeout(r, 5));
      running[lane]!--;
      return lane;
    };
    const lanes = await Promise.all([pool.run(job), pool.run(job), pool.run(job), pool.run(job).catch((e: { code: string }) => e.code)]);
    expect(lanes.slice(0, 3).sort()).toEqual([0, 0, 1]);
    expect(lanes[3]).toBe('CA_HSM_BUSY');
    expect(parallel).toBe(2);
  });
});
