import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_KEY, AccessRule } from '../src/auth/access.decorators';
import { bearer, createTestApp, TestApp } from './support/test-app';

describe('platform', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('every route of the app declares its access rule', () => {
    const modules = t.app.get(ModulesContainer);
    const scanner = new MetadataScanner();
    const reflector = t.app.get(Reflector);
    const routes: string[] = [];
    const undeclared: string[] = [];
    const publicRoutes: Record<string, string> = {};
    const controllers = [...modules.values()].flatMap((m) => [...m.controllers.values()]);
    for (const wrapper of controllers) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const label = `${method} ${wrapper.metatype.name}.${name}`;
        routes.push(label);
        const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
          handler,
          wrapper.metatype,
        ]);
        if (!rule) undeclared.push(label);
        if (rule?.kind === 'public') publicRoutes[label] = rule.rateLimit;
      }
    }
    expect(routes.length).toBeGreaterThan(10);
    expect(undeclared).toEqual([]);
    // Every route open without a token is rate limited per address; /health alone is not.
    expect(publicRoutes).toEqual({
      'POST AuthController.login': 'login',
      'POST AuthController.refresh': 'public',
      'GET VerifyController.verify': 'public',
      // The portal's pages anyone may open (src/portal).
      'GET PublicPagesController.home': 'public',
      'GET PublicPagesController.language': 'public',
      'GET PublicPagesController.signInPage': 'public',
      'GET PublicPagesController.verify': 'public',
      'POST PublicPagesController.signIn': 'login',
      // Passwords (issue 15): a reset link asked for like a sign-in; a link's page and form.
      'POST AuthController.forgotPassword': 'login',
      'POST AuthController.setPassword': 'public',
      'GET PublicPagesController.forgotPage': 'public',
      'POST PublicPagesController.forgot': 'login',
      'GET PublicPagesController.setPage': 'public',
      'POST PublicPagesController.set': 'public',
      'GET PublicPagesController.resetPage': 'public',
      'POST PublicPagesController.reset': 'public',
      // A person's calendar feed (issue 17): the secret token in its address is the key.
      'GET CalendarFeedController.feed': 'public',
      'GET HealthController.health': 'none',
    });
  });

  it('documents every operation with its permission in OpenAPI', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    const doc = res.body as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(operations.length).toBeGreaterThan(10);
    for (const op of operations) expect(op['x-permission']).toBeDefined();
    await t.http.get('/docs').expect(200).expect('content-type', /html/);
  });

  it('answers /health with 200 while the database is up', async () => {
    await t.http.get('/health').expect(200, { status: 'ok', database: 'up' });
  });

  it('answers an unknown route with the stable error body', async () => {
    const res = await t.http.get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'ROUTE_NOT_FOUND',
      message: expect.any(String) as string,
      details: [],
    });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_JSON', details: [] });
  });

  it('speaks Vietnamese by default and English on request', async () => {
    const vi = await t.http.get('/api/v1/me').expect(401);
    expect(vi.body).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Bạn cần đăng nhập.' });
    const en = await t.http.get('/api/v1/me').set('Accept-Language', 'en-US,en;q=0.9').expect(401);
    expect(en.body).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Authentication is required.',
    });
  });

  it('translates validation details into the caller’s language, one message per field', async () => {
    const body = { parentId: 'x', extra: 1, name: 42, code: 'x'.repeat(500) };
    const vi = await t.http
      .post('/api/v1/org-units')
      .set(bearer(t.tokens.admin))
      .send(body)
      .expect(400);
    expect(vi.body.code).toBe('VALIDATION_FAILED');
    expect(vi.body.details).toEqual(
      expect.arrayContaining([
        { field: 'extra', message: 'Trường này không được phép gửi lên.' },
        { field: 'level', message: 'Thiếu trường bắt buộc này.' },
        { field: 'name', message: 'Phải là chuỗi ký tự.' },
        {
          field: 'parentId',
          message: 'Phải là mã định danh UUID (ví dụ 3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41).',
        },
      ]),
    );
    const fields = (vi.body.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual([...new Set(fields)]);
    const en = await t.http
      .post('/api/v1/org-units')
      .set(bearer(t.tokens.admin))
      .set('Accept-Language', 'en')
      .send(body)
      .expect(400);
    expect(en.body.details).toEqual(
      expect.arrayContaining([
        { field: 'extra', message: 'This field is not allowed.' },
        { field: 'level', message: 'This field is required.' },
        { field: 'name', message: 'Must be a string.' },
      ]),
    );
  });

  it('names the limit that was crossed, with the decimal comma in Vietnamese', async () => {
    const course = {
      code: 'X'.repeat(41),
      title: 'Khóa thử',
      deliveryMode: 'online',
      durationHours: 0.25,
      ownerOrgUnitId: await t.unitId('HN'),
    };
    const vi = await t.http
      .post('/api/v1/courses')
      .set(bearer(t.tokens.officerHanoi))
      .send({ ...course, durationHours: 0.2 })
      .expect(400);
    expect(vi.body.details).toContainEqual({
      field: 'durationHours',
      message: 'Không được nhỏ hơn 0,5.',
    });
    const en = await t.http
      .post('/api/v1/courses')
      .set(bearer(t.tokens.officerHanoi))
      .set('Accept-Language', 'en')
      .send({ ...course, title: 'x'.repeat(301), durationHours: 0.2 })
      .expect(400);
    expect(en.body.details).toEqual(
      expect.arrayContaining([
        { field: 'durationHours', message: 'Must be at least 0.5.' },
        { field: 'title', message: 'Must be at most 300 character(s) long.' },
      ]),
    );
  });

  it('answers a malformed id in a path with 400 naming the parameter, in both languages', async () => {
    const vi = await t.http.get('/api/v1/people/abc').set(bearer(t.tokens.admin)).expect(400);
    expect(vi.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'id', message: expect.stringContaining('Phải là mã định danh UUID') }],
    });
    const en = await t.http
      .get('/api/v1/people/abc')
      .set(bearer(t.tokens.admin))
      .set('Accept-Language', 'en')
      .expect(400);
    expect(en.body.details).toEqual([
      { field: 'id', message: 'Must be a UUID (e.g. 3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41).' },
    ]);
  });

  it('keeps a caller’s request id and returns it', async () => {
    const res = await t.http.get('/health').set('X-Request-Id', 'req-12345678').expect(200);
    expect(res.headers['x-request-id']).toBe('req-12345678');
  });

  it('answers /health with 503 once the database is gone', async () => {
    await t.dataSource.destroy();
    await t.http.get('/health').expect(503, { status: 'error', database: 'down' });
  });
});
