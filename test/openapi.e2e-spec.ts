import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, TestApp } from './support/test-app';

const ROOT = join(__dirname, '..');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}

/** Redocly CLI on a file, with redocly.yaml from the repository root; its JSON report. */
async function redoclyLint(file: string): Promise<LintProblem[]> {
  const cli = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  const run = promisify(execFile);
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  // The CLI exits 1 when it finds an error; its report is on stdout either way.
  const { stdout } = await run(process.execPath, [cli, 'lint', file, '--format=json'], {
    cwd: ROOT,
    env,
    maxBuffer: 32 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(stdout) as { problems: LintProblem[] }).problems;
}

type Operation = Record<string, unknown> & {
  summary?: string;
  description?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  'x-permission'?: { permission: string };
};

describe('OpenAPI description (openapi.json)', () => {
  let t: TestApp;
  let served: { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    served = (await t.http.get('/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  const operations = () =>
    Object.entries(served.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => HTTP_METHODS.includes(method))
        .map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, op })),
    );

  it('is committed as the running app serves it (run `npm run openapi` after an API change)', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')) as unknown;
    expect(committed).toEqual(served);
  });

  it('passes redocly lint with the recommended rules: no error, no warning', async () => {
    const problems = await redoclyLint('openapi.json');
    const shown = problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}`);
    expect(shown).toEqual([]);
  }, 120_000);

  it('gives every operation a summary (Vietnamese) and a description (English)', () => {
    const missing = operations()
      .filter(({ op }) => !op.summary?.trim() || !op.description?.trim())
      .map(({ label }) => label);
    expect(missing).toEqual([]);
  });

  it('asks for the bearer token except on public routes, which say they need none', () => {
    expect(served.security).toEqual([{ bearer: [] }]);
    for (const { label, op } of operations()) {
      const isPublic = op['x-permission']?.permission === 'public';
      expect({ label, security: op.security }).toEqual(
        isPublic ? { label, security: [] } : { label, security: undefined },
      );
    }
    const publicOnes = operations().filter(({ op }) => op.security !== undefined);
    expect(publicOnes.map(({ label }) => label)).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/verify/{code}']),
    );
  });

  it('describes every 4xx answer with the error body schema', () => {
    const bare: string[] = [];
    for (const { label, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!status.startsWith('4')) continue;
        const ref = response.content?.['application/json']?.schema?.$ref;
        if (ref !== '#/components/schemas/ErrorBodyDto') bare.push(`${label} ${status}`);
      }
    }
    expect(bare).toEqual([]);
  });
});
