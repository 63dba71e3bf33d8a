import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HELD_OUT_FILE, DEFAULT_PACKAGES_FILE } from '../src/node';
import { packageFile } from '../src/package-dir';

describe('packageFile', () => {
  it('finds the shipped lists from src/ (and from any depth under the package)', () => {
    expect(existsSync(DEFAULT_PACKAGES_FILE)).toBe(true);
    expect(existsSync(DEFAULT_HELD_OUT_FILE)).toBe(true);
    const deep = join(import.meta.dirname, '..', 'dist', 'chunk.js');
    expect(packageFile('lists/gettext-packages.txt', deep)).toBe(DEFAULT_PACKAGES_FILE);
  });

  it('says what it expected when no @seqlab/data folder is above', () => {
    expect(() => packageFile('lists/x.txt', join(tmpdir(), 'nowhere', 'a.js'))).toThrow(
      /expected the package folder above .*nowhere/,
    );
  });
});
