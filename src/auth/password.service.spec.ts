import { PasswordService } from './password.service';

/** Memory and passes as argon2 writes them into the hash: $argon2id$v=19$m=…,p=…,t=…$salt$hash */
const params = (hash: string) => {
  const fields = new URLSearchParams(hash.split('$')[3].replaceAll(',', '&'));
  return [Number(fields.get('m')), Number(fields.get('t'))];
};

describe('PasswordService', () => {
  it('hashes with argon2id at the production cost when no config is given', async () => {
    const hash = await new PasswordService().hash('Mật-khẩu#2026');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(params(hash)).toEqual([65_536, 3]);
  });

  it('hashes at the configured cost and checks any hash by the cost stored in it', async () => {
    const cheap = new PasswordService({ passwordHash: { memoryKiB: 1024, passes: 1 } });
    const strong = new PasswordService();
    const hash = await cheap.hash('Mật-khẩu#2026');
    expect(params(hash)).toEqual([1024, 1]);
    await expect(strong.verify(hash, 'Mật-khẩu#2026')).resolves.toBe(true);
    await expect(strong.verify(hash, 'mật-khẩu#2026')).resolves.toBe(false);
    await expect(cheap.verify('not a hash', 'x')).resolves.toBe(false);
  });
});
