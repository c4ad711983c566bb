/**
 * The PKCS#11 middleware list and the known-card list in native-config/: zod schemas, lookup of the
 * folder, and validated loading. The JSON files are data; their JSON Schemas are generated from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ObnovaError } from '../../src-shared/contract/errors.js';

/** OS/architecture keys, `${process.platform}-${process.arch}` for the platforms we ship. */
export const platformKeys = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-ia32'] as const;
export type PlatformKey = (typeof platformKeys)[number];

const modulePathsSchema = z
  .array(z.string().min(1))
  .describe('Candidate library paths in probe order; %VAR% is replaced by the environment variable on any OS.');

/**
 * How a blocked user PIN is unblocked; PKCS#11 has no PUK, so middleware differ (docs/token.md):
 * - so-login-init-pin: C_Login(CKU_SO, PUK) then C_InitPIN(new PIN) — the PUK is the SO PIN (SoftHSM2, IDPrime, eToken);
 * - set-pin-unauthenticated: C_SetPIN(PUK, new PIN) in a session that is not logged in (OpenSC with
 *   `pin_unblock_style = set_pin_in_unlogged_session`);
 * - vendor-tool: only the vendor's own tool can unblock; unsupported: the card cannot be unblocked.
 */
export const pinUnblockStrategySchema = z
  .enum(['so-login-init-pin', 'set-pin-unauthenticated', 'vendor-tool', 'unsupported'])
  .describe(
    'How a blocked PIN is unblocked: C_Login as SO with the PUK then C_InitPIN; C_SetPIN(PUK, new PIN) in a session not logged in (OpenSC); only in the vendor tool; or not at all.',
  );
export type PinUnblockStrategy = z.infer<typeof pinUnblockStrategySchema>;

export const pkcs11ModuleEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe('Stable identifier, referenced from cards.json.'),
    name: z.string().min(1).describe('Product name shown to people.'),
    vendor: z.string().min(1),
    platforms: z
      .object(Object.fromEntries(platformKeys.map((key) => [key, modulePathsSchema.optional()])) as Record<PlatformKey, z.ZodOptional<typeof modulePathsSchema>>)
      .strict(),
    pinUnblockStrategy: pinUnblockStrategySchema.optional(),
    pinFlagsBeforeFailedLogin: z
      .boolean()
      .optional()
      .describe('false: C_GetTokenInfo shows a low, final-try or locked PIN only after a C_Login failed in this process (OpenSC 0.23), so before a try the tries left are unknown. Default true.'),
    tokenRescan: z
      .enum(['slot-list', 'reinitialize'])
      .optional()
      .describe('How new or removed tokens become visible: C_GetSlotList (default) or only after C_Finalize + C_Initialize (SoftHSM2).'),
    testOnly: z.boolean().optional().describe('A test/demo module, probed last.'),
    note: z.string().optional().describe('Where the paths come from and which are uncertain.'),
  })
  .strict();
export type Pkcs11ModuleEntry = z.infer<typeof pkcs11ModuleEntrySchema>;

export const pkcs11ModulesFileSchema = z
  .object({
    $schema: z.string().optional(),
    modules: z.array(pkcs11ModuleEntrySchema).min(1).describe('Middleware in probe order: the first existing file wins.'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const [index, entry] of file.modules.entries()) {
      if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', message: `duplicate module id ${entry.id}`, path: ['modules', index, 'id'] });
      seen.add(entry.id);
    }
  });
export type Pkcs11ModulesFile = z.infer<typeof pkcs11ModulesFileSchema>;

const hexBytesSchema = z.string().regex(/^[0-9A-Fa-f]{2}(?:[: ]?[0-9A-Fa-f]{2})*$/, 'hex bytes, optionally separated by ":" or " "');

export const cardEntrySchema = z
  .object({
    atr: hexBytesSchema.describe('Answer-to-reset bytes, e.g. 3B:7F:96:…'),
    mask: hexBytesSchema.describe('Same length as atr; 1 bits must match, 0 bits are ignored.'),
    name: z.string().min(1),
    middleware: z.string().min(1).describe('The id of an entry in pkcs11-modules.json.'),
    example: z.boolean().optional().describe('True when the ATR is an illustration, not checked against a real card.'),
    note: z.string().optional(),
  })
  .strict()
  .refine((card) => normalizeHex(card.atr).length === normalizeHex(card.mask).length, { message: 'atr and mask differ in length', path: ['mask'] });
export type CardEntry = z.infer<typeof cardEntrySchema>;

export const cardsFileSchema = z
  .object({
    $schema: z.string().optional(),
    cards: z.array(cardEntrySchema),
  })
  .strict();
export type CardsFile = z.infer<typeof cardsFileSchema>;

/** File names inside native-config/. */
export const nativeConfigFiles = {
  modules: 'pkcs11-modules.json',
  modulesSchema: 'pkcs11-modules.schema.json',
  cards: 'cards.json',
  cardsSchema: 'cards.schema.json',
} as const;

/** JSON Schemas of both files, as committed next to them (regenerate: `npx tsx src-main/token/write-native-config-schemas.ts`). */
export function nativeConfigJsonSchemas(): { modules: unknown; cards: unknown } {
  return {
    modules: z.toJSONSchema(pkcs11ModulesFileSchema, { io: 'input' }),
    cards: z.toJSONSchema(cardsFileSchema, { io: 'input' }),
  };
}

/**
 * Finds native-config/: OBNOVA_NATIVE_CONFIG_DIR, then walking up from this file (source under vitest,
 * out/main/*.js after bundling), from the working directory, and from Electron's resources folder.
 */
export function findNativeConfigDir(options: { nativeConfigDir?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = options.env ?? process.env;
  const explicit = options.nativeConfigDir ?? env.OBNOVA_NATIVE_CONFIG_DIR;
  if (explicit) {
    const dir = resolve(explicit);
    if (!existsSync(join(dir, nativeConfigFiles.modules))) {
      throw new ObnovaError('TOKEN_MODULE_NOT_CONFIGURED', 'the configured native-config folder has no pkcs11-modules.json', { path: dir });
    }
    return dir;
  }
  // Electron sets process.resourcesPath; packaged apps ship native-config/ there as an extra resource.
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const starts = [import.meta.dirname, process.cwd(), resourcesPath].filter((s): s is string => typeof s === 'string');
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, 'native-config');
      if (existsSync(join(candidate, nativeConfigFiles.modules))) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new ObnovaError('TOKEN_MODULE_NOT_CONFIGURED', 'native-config/pkcs11-modules.json was not found above the app or working directory', {
    searchedFrom: starts.join(' | '),
  });
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ObnovaError('TOKEN_MODULE_NOT_CONFIGURED', `${path} is missing or not JSON`, { path }, { cause });
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ObnovaError('TOKEN_MODULE_NOT_CONFIGURED', `${path} does not match its schema`, {
      path,
      issue: first ? `${first.path.join('.')}: ${first.message}` : 'invalid',
    });
  }
  return parsed.data;
}

/** Reads and validates native-config/pkcs11-modules.json. */
export function loadPkcs11Modules(nativeConfigDir: string): Pkcs11ModulesFile {
  const path = join(nativeConfigDir, nativeConfigFiles.modules);
  return parseOrThrow(pkcs11ModulesFileSchema, readJson(path), path);
}

/** Reads and validates native-config/cards.json. */
export function loadCards(nativeConfigDir: string): CardsFile {
  const path = join(nativeConfigDir, nativeConfigFiles.cards);
  return parseOrThrow(cardsFileSchema, readJson(path), path);
}

/** Hex bytes without separators, lowercase. */
export function normalizeHex(hex: string): string {
  return hex.replace(/[:\s]/g, '').toLowerCase();
}
