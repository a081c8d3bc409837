import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Request, Response } from 'express';
import { AuthenticatedRequest } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { Permission } from '../auth/roles';
import { CSRF_FIELD, SessionCookieService } from '../auth/session-cookie.service';
import { interpolate, Language, pickLanguage } from '../common/http/language';
import { formatDateVi, isoToVi } from '../common/dates/vietnam-dates';
import { ASSETS_DIR, ASSETS_PATH, PAGES_DIR } from './portal-routes';

/** Cookie of the language chosen with the switch in the header (else Accept-Language). */
export const LANGUAGE_COOKIE = 'lms_lang';

/** One entry of the main navigation: shown to those who hold its permission. */
interface NavItem {
  href: string;
  key: string;
  permission: Permission;
  /** Shown only to those who lack this permission (the learner's menu for a learner only). */
  unless?: Permission;
}

const NAV: NavItem[] = [
  { href: '/learn', key: 'nav.learn', permission: 'self:use' },
  { href: '/officer', key: 'nav.officer', permission: 'training:manage' },
  { href: '/hr', key: 'nav.hr', permission: 'hr:manage' },
  { href: '/admin', key: 'nav.admin', permission: 'accounts:manage' },
];

type Dictionary = Record<string, string>;

/** Every `.hbs` file under a folder, by its path relative to the folder without the extension. */
function templatesUnder(dir: string, root = dir): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      for (const [k, v] of templatesUnder(path, root)) out.set(k, v);
    } else if (entry.name.endsWith('.hbs')) {
      out.set(
        relative(root, path)
          .replace(/\\/g, '/')
          .replace(/\.hbs$/, ''),
        path,
      );
    }
  }
  return out;
}

/** Nested JSON of words flattened to "a.b.c" keys. */
function flatten(value: unknown, prefix = '', out: Dictionary = {}): Dictionary {
  if (typeof value === 'string') out[prefix] = value;
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/**
 * The words of a language: every i18n/<area>.<lang>.json (app, learn, officer, hr …), merged;
 * a key is written "area.key" in the templates. Two files may not define the same key.
 */
function wordsOf(lang: Language): Dictionary {
  const dir = join(PAGES_DIR, 'i18n');
  const out: Dictionary = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(`.${lang}.json`))
    .sort()) {
    const words = flatten(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    for (const [key, value] of Object.entries(words)) {
      if (key in out) throw new Error(`i18n/${file}: the key ${key} is defined twice`);
      out[key] = value;
    }
  }
  return out;
}

/** A date or instant as dd/MM/yyyy in Vietnam; anything else as it is. */
function dateText(value: unknown): string {
  if (value instanceof Date) return formatDateVi(value);
  if (typeof value !== 'string' || value === '') return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return isoToVi(value);
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : formatDateVi(at);
}

/**
 * Renders the portal's pages: templates/pages/<view>.hbs inside layouts/main.hbs, with the
 * partials of partials/ and the words of i18n/<lang>.json. Every template is compiled once, at
 * start. Besides a view's own model, each page gets: lang, the signed-in user and the menu their
 * permissions open, the CSRF token for its forms, and the versioned URLs of the assets.
 */
@Injectable()
export class PageRenderer {
  private readonly hbs = Handlebars.create();
  private readonly views = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly words: Record<Language, Dictionary>;
  /** Asset URLs with a hash of their content, so a cached copy is never stale. */
  readonly assets: Record<'css' | 'js', string>;

  constructor(private readonly cookies: SessionCookieService) {
    this.words = { vi: wordsOf('vi'), en: wordsOf('en') };
    this.assets = { css: this.assetUrl('portal.css'), js: this.assetUrl('portal.js') };
    this.registerHelpers();
    for (const [name, path] of templatesUnder(join(PAGES_DIR, 'partials'))) {
      this.hbs.registerPartial(name, readFileSync(path, 'utf8'));
    }
    for (const [name, path] of templatesUnder(PAGES_DIR)) {
      if (name.startsWith('partials/') || name.startsWith('layouts/')) continue;
      this.views.set(name, this.hbs.compile(readFileSync(path, 'utf8')));
    }
    this.layout = this.hbs.compile(readFileSync(join(PAGES_DIR, 'layouts', 'main.hbs'), 'utf8'));
  }

  /** The language of a request: the switch's cookie, else Accept-Language, else Vietnamese. */
  languageOf(req: Request): Language {
    const chosen = (req as { cookies?: Record<string, unknown> }).cookies?.[LANGUAGE_COOKIE];
    if (chosen === 'vi' || chosen === 'en') return chosen;
    return pickLanguage(req.headers['accept-language']);
  }

  /** A word of the dictionary in the request's language, `{name}` filled from params. */
  word(lang: Language, key: string, params: Record<string, string | number> = {}): string {
    const text = this.words[lang][key] ?? this.words.vi[key] ?? key;
    return interpolate(text, params, lang);
  }

  /** The HTML of a page. */
  html(req: Request, res: Response, view: string, model: Record<string, unknown> = {}): string {
    const template = this.views.get(view);
    if (!template) throw new Error(`No page template ${view}`);
    const lang = this.languageOf(req);
    const actor = (req as AuthenticatedRequest).actor;
    const context = {
      ...model,
      lang,
      path: req.path,
      csrf: this.cookies.csrfToken(req, res),
      csrfField: CSRF_FIELD,
      assets: this.assets,
      user: actor ? { email: actor.email } : undefined,
      nav: actor ? this.navOf(actor, req.path) : [],
    };
    const body = template(context);
    return this.layout({ ...context, body });
  }

  /** Sends a page: HTML, never cached (it holds the user's data and a CSRF token). */
  send(
    req: Request,
    res: Response,
    view: string,
    model: Record<string, unknown> = {},
    status = 200,
  ): void {
    const html = this.html(req, res, view, model);
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(html);
  }

  private navOf(actor: Actor, path: string) {
    return NAV.filter((n) => actor.can(n.permission) && !(n.unless && actor.can(n.unless))).map(
      (n) => ({
        href: n.href,
        key: n.key,
        current: path === n.href || path.startsWith(`${n.href}/`),
      }),
    );
  }

  private assetUrl(file: string): string {
    const hash = createHash('sha256')
      .update(readFileSync(join(ASSETS_DIR, file)))
      .digest('hex')
      .slice(0, 12);
    return `${ASSETS_PATH}/${file}?v=${hash}`;
  }

  private registerHelpers(): void {
    this.hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => {
      const params = (options.hash ?? {}) as Record<string, string | number>;
      const root = (options.data as { root: { lang: Language } }).root;
      return this.word(root.lang, key, params);
    });
    this.hbs.registerHelper('date', (value: unknown) => dateText(value));
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('not', (a: unknown) => !a);
    this.hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    this.hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    this.hbs.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
    this.hbs.registerHelper('percent', (value: unknown) =>
      typeof value === 'number' && Number.isFinite(value) ? `${Math.round(value * 100)}%` : '',
    );
    this.hbs.registerHelper('inc', (value: unknown) => Number(value) + 1);
  }
}
