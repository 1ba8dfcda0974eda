import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutToTemp } from '../../../src/pipeline/diff/git.js';
import { TempRepo } from './git-repo.js';

// Issue 16: --diff-base gathered each blob by concatenating every chunk onto the ones before
// (quadratic): a 200 MB base file took almost 5 minutes. Blobs are now streamed to disk.

describe('the base tree of --diff-base', () => {
  it('a 60 MB blob between small ones is written byte for byte, in seconds', async () => {
    const repo = new TempRepo();
    try {
      const big = Buffer.alloc(60 * 1024 * 1024, 'x');
      big.write('first line\n', 0);
      big.write('\nlast', big.length - 5);
      repo.commit({ 'a.tf': '# a\n', 'big.json': big.toString('latin1'), 'z/empty.tf': '', 'z/z.yaml': 'k: v\n' });
      const started = Date.now();
      const base = await checkoutToTemp(repo.dir, 'HEAD');
      try {
        expect(Date.now() - started).toBeLessThan(5000);
        expect(readFileSync(path.join(base.root, 'a.tf'), 'utf8')).toBe('# a\n');
        expect(readFileSync(path.join(base.root, 'big.json')).equals(big)).toBe(true);
        expect(readFileSync(path.join(base.root, 'z/empty.tf'), 'utf8')).toBe('');
        expect(readFileSync(path.join(base.root, 'z/z.yaml'), 'utf8')).toBe('k: v\n');
      } finally {
        await base.dispose();
      }
    } finally {
      repo.dispose();
    }
  }, 30_000);
});
