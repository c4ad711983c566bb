/**
 * The deployment files run the built program as an unprivileged user, with the HSM PIN from a
 * credential file and nothing the image or unit refers to missing from the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const unit = readFileSync(join(root, 'deploy/obnova-ca.service'), 'utf8');
const containerfile = readFileSync(join(root, 'deploy/Containerfile'), 'utf8');
const settings = (text: string): string[] => text.split('\n').filter((line) => line.trim() && !line.startsWith('#'));

describe('deploy/obnova-ca.service', () => {
  it('runs the built obnova-ca serve, hardened, as a dynamic user with a private state directory', () => {
    const lines = settings(unit);
    expect(lines).toContain('ExecStart=/usr/bin/node /opt/obnova-ca/out/service/cli.js serve --dir /var/lib/obnova-ca');
    for (const setting of ['DynamicUser=yes', 'StateDirectory=obnova-ca', 'ProtectSystem=strict', 'NoNewPrivileges=yes', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=']) {
      expect(lines, setting).toContain(setting);
    }
    expect(lines.some((l) => l.startsWith('ReadWritePaths=/'))).toBe(false);
  });

  it('hands the HSM PIN and admin token over as credentials, never through the environment', () => {
    expect(settings(unit)).toContain('LoadCredential=hsm-pin:/etc/obnova-ca/hsm-pin');
    const environment = settings(unit).filter((l) => l.startsWith('Environment'));
    expect(environment.join('\n')).not.toMatch(/PIN|TOKEN/i);
  });
});

describe('deploy/Containerfile', () => {
  it('builds in stages and runs the built program as a non-root user', () => {
    const lines = settings(containerfile);
    expect(lines.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(3);
    expect(lines).toContain('USER node');
    expect(lines.findIndex((l) => l === 'USER node')).toBeLessThan(lines.findIndex((l) => l.startsWith('ENTRYPOINT')));
    expect(lines.some((l) => l.includes('npm ci --omit=dev'))).toBe(true);
    expect(lines).toContain('ENTRYPOINT ["node", "/opt/obnova-ca/out/service/cli.js"]');
  });

  it('copies only what the repository has', () => {
    for (const line of settings(containerfile).filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
      const sources = line.slice('COPY '.length).split(/\s+/).slice(0, -1);
      for (const source of sources.flatMap((s) => (s.includes('*') ? [] : [s]))) expect(existsSync(join(root, source)), source).toBe(true);
    }
  });
});
