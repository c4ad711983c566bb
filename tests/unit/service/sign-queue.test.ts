import { describe, expect, it } from 'vitest';
import { SignQueue } from '../../../src-service/ca/sign-queue.js';

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
