/** Types for scripts/app-packages.mjs (plain JS so that `npm run dist` runs without a TypeScript step). */
export function bundleImports(root: string): string[];
export function packageClosure(root: string, entries: string[]): Set<string>;
export function unusedProductionPackages(root: string): string[];
export function exclusionPatterns(root: string): string[];
export function writePackagingConfig(root: string, dir: string, overrides?: Record<string, unknown>): string;
