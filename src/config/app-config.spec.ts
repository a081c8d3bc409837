import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.accessTokenTtlSeconds).toBe(900);
    expect(config.authActorCacheMs).toBe(5000);
    expect(config.authActorCacheListenMs).toBe(60_000);
    expect(config.loginMaxFailures).toBe(5);
    expect(config.jwtSecretGenerated).toBe(true);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
  });

  it('takes a cheaper password hash outside production, within argon2’s range', () => {
    const cheap = { PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_PASSES: '1' };
    expect(loadConfig(cheap).passwordHash).toEqual({ memoryKiB: 1024, passes: 1 });
    expect(() => loadConfig({ PASSWORD_HASH_MEMORY_KIB: '512' })).toThrow(ConfigError);
    expect(() => loadConfig({ PASSWORD_HASH_PASSES: 'many' })).toThrow(ConfigError);
  });

  it('refuses a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
  });

  it('takes an actor cache of 0 (off) and refuses one over a minute', () => {
    expect(loadConfig({ AUTH_ACTOR_CACHE_MS: '0' }).authActorCacheMs).toBe(0);
    expect(() => loadConfig({ AUTH_ACTOR_CACHE_MS: '600000' })).toThrow(ConfigError);
    // While notices are heard (PostgreSQL): up to ten minutes, a bound for a lost notice.
    expect(loadConfig({ AUTH_ACTOR_CACHE_LISTEN_MS: '600000' }).authActorCacheListenMs).toBe(
      600_000,
    );
    expect(() => loadConfig({ AUTH_ACTOR_CACHE_LISTEN_MS: '600001' })).toThrow(ConfigError);
  });

  it('refuses a production start without a JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('reads booleans and strips a trailing slash from the public URL', () => {
    const config = loadConfig({ SEED_DEMO: 'true', PUBLIC_BASE_URL: 'https://lms.example.vn/' });
    expect(config.seedDemo).toBe(true);
    expect(config.publicBaseUrl).toBe('https://lms.example.vn');
  });

  describe('in production', () => {
    const ready = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      DATABASE_URL: 'postgres://lms@db:5432/lms',
      SMTP_URL: 'smtp://mail.example.vn:587',
    };

    it('starts with a secret, a database and a mail channel; migrations are a release step', () => {
      const config = loadConfig(ready);
      expect(config.env).toBe('production');
      expect(config.migrateOnStart).toBe(false);
      expect(config.notifyChannel).toBe('smtp');
      expect(config.embeddedInProduction).toBe(false);
    });

    it('refuses the embedded database unless asked for on purpose', () => {
      expect(() => loadConfig({ ...ready, DATABASE_URL: '' })).toThrow(/DATABASE_URL/);
      const config = loadConfig({ ...ready, DATABASE_URL: '', EMBEDDED_IN_PRODUCTION: 'true' });
      expect(config.databaseUrl).toBeUndefined();
      expect(config.embeddedInProduction).toBe(true);
    });

    it('refuses SEED_DEMO=true (demo accounts never reach production)', () => {
      expect(() => loadConfig({ ...ready, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/);
      expect(loadConfig({ ...ready, SEED_DEMO: 'false' }).seedDemo).toBe(false);
    });

    it('requires SMTP_URL or an explicit NOTIFY_CHANNEL=log', () => {
      expect(() => loadConfig({ ...ready, SMTP_URL: '' })).toThrow(/NOTIFY_CHANNEL=log/);
      const config = loadConfig({ ...ready, SMTP_URL: '', NOTIFY_CHANNEL: 'log' });
      expect(config.notifyChannel).toBe('log');
      expect(config.smtpUrl).toBeUndefined();
    });

    it('refuses a password hash cheaper than OWASP’s floor (19 MiB, 2 passes)', () => {
      expect(loadConfig(ready).passwordHash).toEqual({ memoryKiB: 65_536, passes: 3 });
      expect(() => loadConfig({ ...ready, PASSWORD_HASH_MEMORY_KIB: '1024' })).toThrow(
        /PASSWORD_HASH_MEMORY_KIB/,
      );
      expect(() => loadConfig({ ...ready, PASSWORD_HASH_PASSES: '1' })).toThrow(
        /PASSWORD_HASH_PASSES/,
      );
      const floor = { PASSWORD_HASH_MEMORY_KIB: '19456', PASSWORD_HASH_PASSES: '2' };
      expect(loadConfig({ ...ready, ...floor }).passwordHash).toEqual({
        memoryKiB: 19_456,
        passes: 2,
      });
    });

    it('names every problem in one line', () => {
      let message = '';
      try {
        loadConfig({ NODE_ENV: 'production' });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        message = (e as Error).message;
      }
      expect(message).not.toContain('\n');
      expect(message).toMatch(/JWT_SECRET.*DATABASE_URL.*SMTP_URL/);
    });

    it('applies migrations at start only when MIGRATE_ON_START says so', () => {
      expect(loadConfig({ ...ready, MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true);
    });
  });

  it('migrates on start by default outside production, unless told not to', () => {
    expect(loadConfig({}).migrateOnStart).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).migrateOnStart).toBe(true);
    expect(loadConfig({ MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
  });

  it('sends through SMTP when configured, or to the log when NOTIFY_CHANNEL=log', () => {
    expect(loadConfig({}).notifyChannel).toBe('log');
    const smtp = loadConfig({ SMTP_URL: 'smtp://localhost:2525' });
    expect(smtp.notifyChannel).toBe('smtp');
    expect(smtp.smtpUrl).toBe('smtp://localhost:2525');
    const log = loadConfig({ SMTP_URL: 'smtp://localhost:2525', NOTIFY_CHANNEL: 'log' });
    expect(log.notifyChannel).toBe('log');
    expect(log.smtpUrl).toBeUndefined();
    expect(() => loadConfig({ NOTIFY_CHANNEL: 'smtp' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ NOTIFY_CHANNEL: 'pigeon' })).toThrow(ConfigError);
  });
});
