import { describe, expect, it } from 'vitest';
import { baseAddress } from '../../src/model/address.js';

describe('baseAddress', () => {
  it('drops the last instance key', () => {
    expect(baseAddress('aws_security_group.web[0]')).toBe('aws_security_group.web');
    expect(baseAddress('module.a["x"].aws_security_group.web["k"]')).toBe('module.a["x"].aws_security_group.web');
    expect(baseAddress('module.a[0].aws_security_group.web')).toBe('module.a[0].aws_security_group.web');
    expect(baseAddress('')).toBe('');
  });

  it('equals the pattern it replaces on generated addresses', () => {
    const pieces = ['a', '.', '[', ']', '0', '"k"', '[0]', ']]', '[['];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      let s = '';
      for (let j = next(8); j >= 0; j--) s += pieces[next(pieces.length)];
      expect(baseAddress(s), s).toBe(s.replace(/\[[^\]]*\]$/, ''));
    }
  });
});
