import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyAgainstNothing, verifyPassword } from '../src/passwords.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: one password hashed twice gives two different strings, both verifying', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('verifies a hash made with other parameters, read from the stored string, so the cost can change later', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const hash = scryptSync('old password', salt, 24, { N: 2 ** 10, r: 4, p: 2 });
    const stored = `$scrypt$ln=10,r=4,p=2$${salt.toString('base64url')}$${hash.toString('base64url')}`;
    expect(await verifyPassword('old password', stored)).toBe(true);
    expect(await verifyPassword('new password', stored)).toBe(false);
  });

  it('treats a composed and a decomposed accent as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-au-lait');
    expect(await verifyPassword('cafe\u0301-au-lait', stored)).toBe(true);
  });

  it('never matches a malformed stored hash, and an unknown account never matches', async () => {
    expect(await verifyPassword('x', 'plain text')).toBe(false);
    expect(await verifyPassword('x', '$bcrypt$whatever')).toBe(false);
    expect(await verifyAgainstNothing('anything')).toBe(false);
  });
});
