// Password hashing inside workerd: ASVS 5 parameters, PHC format, rehash on
// weaker parameters, and no run-time WebAssembly compilation.
import { describe, expect, it } from 'vitest';
import { loadArgon2id, noSimdModule, simdModule } from '../src/lib/auth/argon2.ts';
import { hashPassword, parsePhc, PASSWORD_PARAMS, verifyPassword } from '../src/lib/auth/password.ts';

// OWASP ASVS 5.0 V11.4.2 / OWASP Password Storage Cheat Sheet: Argon2id with
// at least 19 MiB of memory, 2 iterations, 1 degree of parallelism.
const ASVS_ARGON2ID_MIN = { memoryKiB: 19 * 1024, passes: 2, parallelism: 1 };

describe('password hashing', () => {
  it('produces an argon2id PHC string whose parameters meet the ASVS minimum', async () => {
    const phc = await hashPassword('correct horse battery staple');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    const parsed = parsePhc(phc)!;
    expect(parsed.algorithm).toBe('argon2id');
    expect(parsed.params.m).toBeGreaterThanOrEqual(ASVS_ARGON2ID_MIN.memoryKiB);
    expect(parsed.params.t).toBeGreaterThanOrEqual(ASVS_ARGON2ID_MIN.passes);
    expect(parsed.params.p).toBeGreaterThanOrEqual(ASVS_ARGON2ID_MIN.parallelism);
    expect(parsed.salt.length).toBeGreaterThanOrEqual(16);
    expect(parsed.hash.length).toBeGreaterThanOrEqual(32);
  });

  it('verifies the right password, refuses a wrong one and salts every hash', async () => {
    const a = await hashPassword('s3cret-pass');
    const b = await hashPassword('s3cret-pass');
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 's3cret-pass')).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword(a, 's3cret-pasS')).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword(null, 's3cret-pass')).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword('$2b$10$notargon', 's3cret-pass')).toEqual({ ok: false, needsRehash: false });
  });

  it('asks for a rehash when the stored parameters are weaker than the current ones', async () => {
    const weak = await hashPassword('old-password', { m: 8192, t: 1, p: 1 });
    expect(await verifyPassword(weak, 'old-password')).toEqual({ ok: true, needsRehash: true });
  });

  it('computes real Argon2id: the RFC 9106 section 5.3 test vector', async () => {
    const argon2id = await loadArgon2id();
    const tag = argon2id({
      password: new Uint8Array(32).fill(1),
      salt: new Uint8Array(16).fill(2),
      secret: new Uint8Array(8).fill(3),
      ad: new Uint8Array(12).fill(4),
      passes: 3,
      memorySize: 32,
      parallelism: 4,
      tagLength: 32,
    });
    expect(hex(tag)).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
  });

  it('takes a bounded time per hash in workerd', async () => {
    const start = performance.now();
    await hashPassword('timing');
    const ms = performance.now() - start;
    console.log(`[password] one argon2id hash (m=${PASSWORD_PARAMS.m}, t=${PASSWORD_PARAMS.t}) took ${ms.toFixed(0)} ms in workerd`);
    expect(ms).toBeLessThan(2_000);
  });

  it('gets its WebAssembly as build-time modules, never as bytes to compile', () => {
    expect(simdModule).toBeInstanceOf(WebAssembly.Module);
    expect(noSimdModule).toBeInstanceOf(WebAssembly.Module);
  });
});

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
