import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.accessTokenTtlSeconds).toBe(900);
    expect(config.authActorCacheMs).toBe(5000);
    expect(config.loginMaxFailures).toBe(5);
    expect(config.jwtSecretGenerated).toBe(true);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
  });

  it('refuses a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
  });

  it('takes an actor cache of 0 (off) and refuses one over a minute', () => {
    expect(loadConfig({ AUTH_ACTOR_CACHE_MS: '0' }).authActorCacheMs).toBe(0);
    expect(() => loadConfig({ AUTH_ACTOR_CACHE_MS: '600000' })).toThrow(ConfigError);
  });

  it('refuses a production start without a JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('reads booleans and strips a trailing slash from the public URL', () => {
    const config = loadConfig({ SEED_DEMO: 'true', PUBLIC_BASE_URL: 'https://lms.example.vn/' });
    expect(config.seedDemo).toBe(true);
    expect(config.publicBaseUrl).toBe('https://lms.example.vn');
  });
});
