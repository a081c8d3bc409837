import { Client } from 'pg';

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable)';
  }
}

/** Fails fast, with one readable line, when DATABASE_URL is malformed or the server is away. */
export async function checkDatabaseUrl(url: string): Promise<void> {
  const fail = (why: string) =>
    Object.assign(new Error(`DATABASE_URL ${redact(url)}: ${why}`), { startup: true });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail('không phải URL hợp lệ / not a valid URL (postgres://user:pass@host:5432/db)');
  }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    throw fail('phải bắt đầu bằng postgres:// / must start with postgres://');
  }
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw fail(`không kết nối được / cannot connect (${(error as Error).message})`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
