import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { APP_CONFIG, ConfigError, loadConfig } from '../src/config/app-config';
import { EmbeddedDatabase } from '../src/database/database.module';
import { PGLITE_OPENER } from '../src/database/pglite';
import { expectError } from './expect-error';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

// Issue 12, item 3: behind a load balancer — client address, shared rate limits, headers, CORS.
// Several suites boot two apps at once; on a loaded machine PGlite needs more than 30 s for that.
jest.setTimeout(120_000);

const UNKNOWN_CODE = 'AAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * A second replica of `first`: another Nest application on the same database (the same
 * PostgreSQL database, or the same embedded PGlite instance), as a second process would be.
 */
async function secondReplica(first: TestApp, env: Record<string, string>) {
  const url = (first.dataSource.options as { url?: string }).url;
  const shared = first.app.get(EmbeddedDatabase).instance;
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    LOGIN_IP_LIMIT_PER_MINUTE: '10000',
    PUBLIC_LIMIT_PER_MINUTE: '10000',
    DATA_DIR: 'memory://',
    ...env,
    DATABASE_URL: url ?? '',
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .overrideProvider(PGLITE_OPENER)
    .useValue(() => {
      if (!shared) throw new Error('the first replica has no embedded database');
      return Promise.resolve(shared);
    })
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  configureApp(app);
  await app.init();
  return {
    http: request(app.getHttpServer()),
    close: async () => {
      // The embedded database belongs to the first replica: it closes it.
      app.get(EmbeddedDatabase).instance = undefined;
      await app.close();
    },
  };
}

describe('security headers and CORS', () => {
  let t: TestApp;
  let withCors: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    withCors = await createTestApp({
      CORS_ORIGINS: 'https://hr.congdoan.test, http://localhost:5173',
    });
  });

  afterAll(async () => {
    await t.close();
    await withCors.close();
  });

  it('sends helmet security headers on the API and a strict content security policy', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
  });

  it('still serves the Swagger UI, whose page alone may run inline script', async () => {
    const page = await t.http.get('/docs/').redirects(1).expect(200);
    expect(page.text).toContain('swagger-ui');
    expect(page.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    await t.http.get('/docs-json').expect(200);
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const res = await t.http
      .options('/api/v1/auth/login')
      .set('Origin', 'https://hr.congdoan.test')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers listed origins and leaves others without CORS headers', async () => {
    const allowed = await withCors.http
      .options('/api/v1/auth/login')
      .set('Origin', 'https://hr.congdoan.test')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,authorization');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://hr.congdoan.test');
    const get = await withCors.http.get('/health').set('Origin', 'http://localhost:5173');
    expect(get.headers['access-control-allow-origin']).toBe('http://localhost:5173');

    const denied = await withCors.http
      .options('/api/v1/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a malformed TRUST_PROXY or CORS_ORIGINS at start', () => {
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'not an address' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: 'hr.congdoan.test' })).toThrow(ConfigError);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
    ]);
    expect(loadConfig({}).trustProxy).toBe(false);
  });
});

describe('client address behind a proxy', () => {
  it('ignores X-Forwarded-For without TRUST_PROXY: every request counts for the proxy', async () => {
    const t = await createTestApp({ PUBLIC_LIMIT_PER_MINUTE: '2' });
    try {
      for (const ip of ['203.0.113.1', '203.0.113.2']) {
        await t.http.get(`/api/v1/verify/${UNKNOWN_CODE}`).set('X-Forwarded-For', ip).expect(404);
      }
      const res = await t.http
        .get(`/api/v1/verify/${UNKNOWN_CODE}`)
        .set('X-Forwarded-For', '203.0.113.3');
      expectError(res, 429, 'TOO_MANY_REQUESTS');
    } finally {
      await t.close();
    }
  });

  it('counts each client apart with TRUST_PROXY, from the address the proxy forwarded', async () => {
    const t = await createTestApp({ PUBLIC_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    try {
      for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.1']) {
        await t.http.get(`/api/v1/verify/${UNKNOWN_CODE}`).set('X-Forwarded-For', ip).expect(404);
      }
      const third = await t.http
        .get(`/api/v1/verify/${UNKNOWN_CODE}`)
        .set('X-Forwarded-For', '203.0.113.1');
      expectError(third, 429, 'TOO_MANY_REQUESTS');
    } finally {
      await t.close();
    }
  });

  it('limits logins per account whatever the address', async () => {
    // The harness signed in the 5 demo accounts from the loopback address before this.
    const t = await createTestApp({ LOGIN_IP_LIMIT_PER_MINUTE: '5', TRUST_PROXY: '1' });
    try {
      const attempt = (ip: string) =>
        t.http
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', ip)
          .send({ email: 'Nobody@lms.congdoan.test', password: 'Sai123456' });
      for (const n of [1, 2, 3, 4, 5]) {
        expectError(await attempt(`198.51.100.${n}`), 401, 'AUTH_INVALID_CREDENTIALS');
      }
      expectError(await attempt('198.51.100.6'), 429, 'TOO_MANY_REQUESTS');
      // Another account from a fresh address is not held back by that count.
      await t.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '198.51.100.7')
        .send({ email: DEMO.admin, password: 'Demo@2026' })
        .expect(200);
    } finally {
      await t.close();
    }
  });
});

describe('rate limits of the public routes', () => {
  // Issue 13, item 1: every route without a token is limited per address, not only sign-in and
  // certificate verification.
  it('limits token refresh per address like verification, each route counted apart', async () => {
    const t = await createTestApp({ PUBLIC_LIMIT_PER_MINUTE: '2' });
    try {
      const refresh = () =>
        t.http.post('/api/v1/auth/refresh').send({ refreshToken: 'x'.repeat(40) });
      expectError(await refresh(), 401, 'AUTH_REFRESH_INVALID');
      // A body that fails validation counts as well: the limit is checked before it.
      expectError(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: 1 }),
        400,
        'VALIDATION_FAILED',
      );
      const refused = await refresh();
      expectError(refused, 429, 'TOO_MANY_REQUESTS');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

      await t.http.get(`/api/v1/verify/${UNKNOWN_CODE}`).expect(404);
      await t.http.get(`/api/v1/verify/${UNKNOWN_CODE}`).expect(404);
      expectError(await t.http.get(`/api/v1/verify/${UNKNOWN_CODE}`), 429, 'TOO_MANY_REQUESTS');

      // Sign-in has its own limit (the harness signed in 5 accounts before this); /health,
      // polled by load balancers, and the routes behind a token have none.
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: DEMO.admin, password: 'Demo@2026' })
        .expect(200);
      for (let i = 0; i < 3; i++) {
        await t.http.get('/health').expect(200);
        await t.http.get('/api/v1/me').set(bearer(t.tokens.admin)).expect(200);
      }
    } finally {
      await t.close();
    }
  });
});

describe('rate limits shared by replicas', () => {
  it('counts the hits of two app instances on one database together', async () => {
    const first = await createTestApp({ PUBLIC_LIMIT_PER_MINUTE: '3' });
    const second = await secondReplica(first, { PUBLIC_LIMIT_PER_MINUTE: '3' });
    try {
      await first.http.get(`/api/v1/verify/${UNKNOWN_CODE}`).expect(404);
      await second.http.get(`/api/v1/verify/${UNKNOWN_CODE}`).expect(404);
      await first.http.get(`/api/v1/verify/${UNKNOWN_CODE}`).expect(404);
      const refused = await second.http
        .get(`/api/v1/verify/${UNKNOWN_CODE}`)
        .set('Accept-Language', 'en');
      expectError(refused, 429, 'TOO_MANY_REQUESTS');
      expect(refused.body.error).toBe('Too Many Requests');
      const seconds = Number(refused.headers['retry-after']);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(refused.body.message).toBe(`Too many requests. Try again in ${seconds} seconds.`);
      // One row counts the verifications of both replicas (the others count the sign-ins).
      const rows = await first.dataSource.query<{ n: string }[]>(
        'SELECT count(*) AS n FROM rate_limit_hits WHERE hits = 4',
      );
      expect(Number(rows[0].n)).toBe(1);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
