import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { DEMO, createTestApp } from '../support/test-app';
import { DEMO_PASSWORD } from '../../src/seed/demo-data';
import { Measure, MeasureResult, round, Scale, timeIt } from './measure';

/** Requests per measure at each scale: enough for a steady rate, short at smoke. */
const REQUESTS: Record<Scale, number> = { smoke: 100, province: 400, national: 1000 };

/** What the chair's home page shows, as the API gives it: the same reads, one after the other. */
const HOME_AS_JSON = ['/api/v1/me/assignments', '/api/v1/me/enrolments'];

/** The portal's budget for what a first visit downloads besides the HTML (issue 14). */
const FIRST_VISIT_BUDGET_BYTES = 60 * 1024;

async function withPortal<T>(
  run: (base: string, cookie: string, token: string) => Promise<T>,
): Promise<T> {
  await globalSetup();
  const t = await createTestApp();
  try {
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    // Signs the chair in through the sign-in form, as a browser does.
    const form = await fetch(`${base}/sign-in`);
    const csrf = /lms_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1];
    const signIn = await fetch(`${base}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `lms_csrf=${csrf}` },
      body: new URLSearchParams({ _csrf: csrf, email: DEMO.chair, password: DEMO_PASSWORD }),
    });
    const session = /lms_session=([^;]+)/.exec(signIn.headers.getSetCookie().join(';'))![1];
    return await run(base, `lms_session=${session}; lms_csrf=${csrf}`, t.tokens.chair);
  } finally {
    await t.close();
    await globalTeardown();
  }
}

async function ok(res: Response): Promise<void> {
  if (res.status !== 200) throw new Error(`${res.url}: ${res.status}`);
  await res.arrayBuffer();
}

/**
 * The chair's home page rendered (its reads + Handlebars), in pages per second, beside the same
 * data fetched as JSON from the API in the same run, in reads-of-everything per second. Target:
 * the page at ≥ 0.7 × the JSON.
 */
export const portalHomeMeasure: Measure = {
  name: 'portal.chair-home',
  needsDatabase: false,
  async run({ scale }): Promise<MeasureResult> {
    const n = REQUESTS[scale];
    return withPortal(async (base, cookie, token) => {
      const page = () => fetch(`${base}/learn`, { headers: { cookie } }).then(ok);
      const json = () =>
        Promise.all(
          HOME_AS_JSON.map((path) =>
            fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(ok),
          ),
        );
      // Warm both (templates, query plans, the actor cache), then alternate rounds.
      await timeIt(20, page);
      await timeIt(20, json);
      let pageSeconds = 0;
      let jsonSeconds = 0;
      for (let round = 0; round < 4; round += 1) {
        pageSeconds += await timeIt(n / 4, page);
        jsonSeconds += await timeIt(n / 4, json);
      }
      const pagesPerSecond = n / pageSeconds;
      const jsonPerSecond = n / jsonSeconds;
      return {
        name: 'portal.chair-home',
        value: round(pagesPerSecond, 1),
        unit: 'pages/s',
        baseline: round(jsonPerSecond, 1),
        ratio: round(pagesPerSecond / jsonPerSecond),
        n,
      };
    });
  },
};

/**
 * What a first visit downloads besides the page itself — the stylesheet and the script — gzip
 * compressed, beside the budget of 60 KB.
 */
export const portalAssetsMeasure: Measure = {
  name: 'portal.first-visit-assets',
  needsDatabase: false,
  async run(): Promise<MeasureResult> {
    return withPortal(async (base) => {
      const html = await (await fetch(`${base}/sign-in`)).text();
      const urls = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) =>
        m[1].replace(/&#x3D;/g, '='),
      );
      let bytes = 0;
      for (const url of urls) {
        const body = Buffer.from(await (await fetch(`${base}${url}`)).arrayBuffer());
        bytes += gzipSync(body, { level: 6 }).length;
      }
      return {
        name: 'portal.first-visit-assets',
        value: bytes,
        unit: 'bytes gzip',
        baseline: FIRST_VISIT_BUDGET_BYTES,
        ratio: round(bytes / FIRST_VISIT_BUDGET_BYTES),
        n: urls.length,
      };
    });
  },
};
