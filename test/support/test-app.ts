import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { APP_CONFIG, loadConfig } from '../../src/config/app-config';
import { PGLITE_OPENER } from '../../src/database/pglite';
import { DEMO_PASSWORD } from '../../src/seed/demo-data';
import {
  adminQuery,
  openPgliteCopy,
  PGLITE_DIR_ENV,
  preparedPgliteDir,
  TEMPLATE_DB_ENV,
  withDatabase,
} from './databases';

export const DEMO = {
  admin: 'admin@lms.congdoan.test',
  hrHanoi: 'hr.hanoi@lms.congdoan.test',
  officerHanoi: 'daotao.hanoi@lms.congdoan.test',
  officerBacNinh: 'daotao.bacninh@lms.congdoan.test',
  chair: 'chutich.mayhadong@lms.congdoan.test',
} as const;
export type DemoAccount = keyof typeof DEMO;

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  dataSource: DataSource;
  /** Access tokens of the demo accounts, signed in once per suite. */
  tokens: Record<DemoAccount, string>;
  login(email: string, password?: string): Promise<string>;
  /** Id of a demo org unit by its code (VGCL, HN, BN, HN-HD-MAY, …). */
  unitId(code: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Boots the whole app, as main.ts does, on a fresh copy of the migrated and seeded template:
 * a private copy of the PGlite template directory by default, or a new PostgreSQL database when DATABASE_URL is set.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const baseUrl = process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (baseUrl) {
    const template = process.env[TEMPLATE_DB_ENV];
    if (!template) throw new Error('the e2e global setup did not prepare a template database');
    const name = `lms_t_${randomBytes(6).toString('hex')}`;
    await adminQuery(baseUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    databaseUrl = withDatabase(baseUrl, name);
    dropDatabase = () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  let removeCopy: (() => void) | undefined;
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG ?? 'silent',
    LOGIN_IP_LIMIT_PER_MINUTE: '10000',
    PUBLIC_LIMIT_PER_MINUTE: '10000',
    DATA_DIR: 'memory://',
    // Accounts made through the API hash at argon2's floor (a second saved per few logins);
    // the cost stays a setting, tested in app-config.spec and password.service.spec.
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_PASSES: '1',
    ...env,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '' }),
  });

  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .overrideProvider(PGLITE_OPENER)
    .useValue(async () => {
      const copy = await openPgliteCopy(preparedPgliteDir(PGLITE_DIR_ENV));
      removeCopy = copy.remove;
      return copy.pglite;
    })
    .compile();
  const release = async () => {
    removeCopy?.();
    await dropDatabase?.();
  };
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    logger: process.env.TEST_LOG ? undefined : false,
  });
  configureApp(app);
  try {
    await app.init();
    return await connect(app, release);
  } catch (error) {
    // A half-started app would keep the database and timers open and jest would never exit.
    await app.close().catch(() => undefined);
    await release().catch(() => undefined);
    throw error;
  }
}

async function connect(
  app: NestExpressApplication,
  release: () => Promise<void>,
): Promise<TestApp> {
  const http = request(app.getHttpServer());
  const login = async (email: string, password = DEMO_PASSWORD) => {
    const res = await http.post('/api/v1/auth/login').send({ email, password });
    if (res.status !== 200)
      throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { accessToken: string }).accessToken;
  };
  const tokens = {} as Record<DemoAccount, string>;
  for (const [key, email] of Object.entries(DEMO) as [DemoAccount, string][]) {
    tokens[key] = await login(email);
  }
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    app,
    http,
    dataSource,
    tokens,
    login,
    unitId: async (code) => {
      const rows = await dataSource.query<
        {
          id: string;
        }[]
      >('SELECT id FROM org_units WHERE code = $1', [code]);
      if (!rows[0]) throw new Error(`no demo unit ${code}`);
      return rows[0].id;
    },
    close: async () => {
      await app.close();
      await release();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
