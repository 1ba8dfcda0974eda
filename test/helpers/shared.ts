import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's shared folder (corpus, schemas) sits beside the checkout: `../shared`, on developer
 * machines and in CI alike. Tests that need it fail loudly when it is missing rather than pass
 * silently.
 */
export const SHARED = path.resolve(__dirname, '../../../shared');

export function sharedPath(...parts: string[]): string {
  const p = path.join(SHARED, ...parts);
  if (!existsSync(p)) throw new Error(`${p} is missing: the shared folder must sit beside the checkout (../shared)`);
  return p;
}
