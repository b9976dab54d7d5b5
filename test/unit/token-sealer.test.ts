import { describe, expect, it } from 'vitest';
import { TokenSealer } from '../../lambdas/hubspot/token-sealer.js';

const sealer = new TokenSealer('a token-encryption key');

describe('TokenSealer', () => {
  it('opens what it sealed', () => {
    expect(sealer.open(sealer.seal('CKD8-access-token'))).toBe('CKD8-access-token');
  });

  it('never seals the same token to the same text', () => {
    expect(sealer.seal('same')).not.toBe(sealer.seal('same'));
  });

  it('keeps the token out of the sealed text', () => {
    expect(sealer.seal('CKD8-access-token')).not.toContain('CKD8');
  });

  it('refuses a sealed token that was altered', () => {
    const sealed = sealer.seal('CKD8-access-token');
    // One character in the middle of the ciphertext, surely changed (every bit of it counts there).
    const at = Math.floor(sealed.length / 2);
    const altered = `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`;
    expect(altered).not.toBe(sealed);
    expect(() => sealer.open(altered)).toThrow();
  });

  it('refuses a token sealed with another key', () => {
    expect(() => new TokenSealer('another key').open(sealer.seal('CKD8'))).toThrow();
  });

  it('refuses a plain, unsealed token', () => {
    expect(() => sealer.open('CKD8-access-token')).toThrow('not a sealed token');
  });
});
