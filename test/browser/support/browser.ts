import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../../src/seed/demo-data';
import { createTestApp, DEMO, DemoAccount, TestApp } from '../../support/test-app';

/** Debian's Chromium (apt-get install chromium); .ci/run installs it when it is missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of the journeys, to look at (git-ignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'test-output', 'screenshots');

/** The two widths every journey is looked at: a small phone and a desktop. */
export const WIDTHS = { phone: 360, desktop: 1280 } as const;

export interface Portal {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A new page (own cookies) at a width, signed in as a demo account when one is given. */
  open(width: keyof typeof WIDTHS, account?: DemoAccount): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The whole app on a fresh copy of the seeded database, listening on a free port, and a
 * headless Chromium to drive it. One per suite.
 */
export async function startPortal(): Promise<Portal> {
  const t = await createTestApp();
  await t.app.listen(0, '127.0.0.1');
  const port = (t.app.getHttpServer().address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // Date inputs read dd/mm/yyyy, as in a Vietnamese browser.
        '--lang=vi-VN',
      ],
    });
  } catch (error) {
    await t.close();
    throw error;
  }
  const pages: Page[] = [];
  return {
    t,
    baseUrl,
    browser,
    async open(width, account) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: { width: WIDTHS[width], height: width === 'phone' ? 780 : 900 },
        locale: 'vi-VN',
      });
      const page = await context.newPage();
      pages.push(page);
      if (account) await signIn(page, DEMO[account]);
      return page;
    },
    async close() {
      for (const p of pages)
        await p
          .context()
          .close()
          .catch(() => undefined);
      await browser.close();
      await t.close();
    },
  };
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel(/Email|E-mail/).fill(email);
  await page.getByLabel(/Mật khẩu|Password/).fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/sign-in'),
    page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click(),
  ]);
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's serious and critical violations of WCAG 2.1 A and AA on the page as it is now
 * (evaluated through the DevTools protocol, which the page's CSP does not restrict).
 */
export async function accessibilityProblems(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(o: unknown): Promise<{
            violations: {
              id: string;
              impact: string | null;
              help: string;
              nodes: { target: unknown[] }[];
            }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Looks at a page the way each journey does: no serious or critical axe violation, and a
 * screenshot at the page's width (name-phone.png or name-desktop.png).
 */
export async function lookAt(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width === WIDTHS.phone ? 'phone' : 'desktop';
  await screenshot(page, `${name}-${width}`);
  const problems = await accessibilityProblems(page);
  if (problems.length > 0) {
    throw new Error(`${name}: accessibility problems ${JSON.stringify(problems, null, 2)}`);
  }
}
