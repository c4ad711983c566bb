import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm run demo', () => {
  it('makes the demo cards and the running app sees them', () => {
    const run = spawnSync('npx', ['tsx', 'scripts/demo.ts', '--check'], { cwd: join(import.meta.dirname, '../../..'), encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toContain('demo:');
    expect(run.stdout).toContain('demo check: the app sees 3 demo cards');
    expect(run.stdout).toMatch(/Demo valid\s+Ana Novak\s+PIN 1111/);
    expect(run.status).toBe(0);
  });
});
