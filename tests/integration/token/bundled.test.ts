/**
 * The token code after bundling the way electron-vite bundles src-main (ESM, dependencies external):
 * graphene-pk11 (CommonJS) must load through its default export, and native-config/ must be found by
 * walking up from the bundle (out/main/*.js), not from the working directory.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, expect, it } from 'vitest';
import { addKeyAndCertificate, createSoftHsm } from '../../helpers/softhsm.js';

const repo = resolve(import.meta.dirname, '../../..');
const app = mkdtempSync(join(tmpdir(), 'obnova-bundle-'));
const hsm = createSoftHsm();
afterAll(() => {
  hsm.cleanup();
  rmSync(app, { recursive: true, force: true });
});

it('lists tokens and certificates from an ESM bundle run outside the repository', async () => {
  const token = hsm.createToken({ label: 'Bundled' });
  const written = await addKeyAndCertificate(hsm, token, { id: '01', label: 'Signing', subject: 'CN=Bundle Holder', qualified: true });
  symlinkSync(join(repo, 'node_modules'), join(app, 'node_modules'));
  cpSync(join(repo, 'native-config'), join(app, 'native-config'), { recursive: true });
  const entry = join(app, 'entry.ts');
  writeFileSync(
    entry,
    [
      `import { resolveModule } from ${JSON.stringify(join(repo, 'src-main/token/module-resolver.ts'))};`,
      `import { createTokenService } from ${JSON.stringify(join(repo, 'src-main/token/token-service.ts'))};`,
      `import { findNativeConfigDir } from ${JSON.stringify(join(repo, 'src-main/token/native-config.ts'))};`,
      'const service = createTokenService({ module: resolveModule() });',
      'const tokens = await service.listTokens();',
      'const certificates = await service.listCertificates({});',
      'await service.close();',
      'console.log(JSON.stringify({ nativeConfig: findNativeConfigDir(), tokens, certificates }));',
    ].join('\n'),
  );
  await build({
    configFile: false,
    root: app,
    logLevel: 'silent',
    build: { ssr: entry, outDir: join(app, 'out/main'), target: 'node20', rollupOptions: { output: { format: 'es', entryFileNames: 'cli.js' } } },
  });
  const stdout = execFileSync(process.execPath, [join(app, 'out/main/cli.js')], {
    cwd: '/',
    env: { ...hsm.env, OBNOVA_PKCS11_MODULE: hsm.modulePath },
    encoding: 'utf8',
  });
  const result = JSON.parse(stdout);
  expect(result.nativeConfig).toBe(join(app, 'native-config'));
  expect(result.tokens.module).toMatchObject({ source: 'environment', name: 'SoftHSM 2' });
  expect(result.tokens.tokens.map((t: { label: string }) => t.label)).toEqual(['Bundled']);
  expect(result.certificates.certificates[0]).toMatchObject({ fingerprintSha256: written.fingerprintSha256, qualified: true, hasPrivateKey: true });
});
