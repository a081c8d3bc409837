import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  Matches,
  MinLength,
  validateSync,
} from 'class-validator';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseSmtpUrl } from '../notifications/smtp-settings';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes'].includes(typeof value === 'string' ? value : JSON.stringify(value));

const emptyAsUnset = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** Hops (a number), or addresses/CIDRs and proxy-addr's names (loopback, uniquelocal…). */
const TRUST_PROXY_PATTERN = /^(\d{1,2}|[\w.:/-]+(\s*,\s*[\w.:/-]+)*)$/;
/** Exact origins, scheme and host (and port): https://hr.congdoan.vn,http://localhost:5173 */
const CORS_ORIGINS_PATTERN = /^https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*$/;

/** The environment variables the service reads, validated once at start. */
class Environment {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() DATABASE_URL?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional() @IsString() @MinLength(32) JWT_SECRET?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(60) @Max(3600) ACCESS_TOKEN_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(60_000) AUTH_ACTOR_CACHE_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  AUTH_ACTOR_CACHE_LISTEN_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1_048_576)
  PASSWORD_HASH_MEMORY_KIB?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(10) PASSWORD_HASH_PASSES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(365) REFRESH_TOKEN_TTL_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) LOGIN_MAX_FAILURES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1440) LOGIN_LOCK_MINUTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) LOGIN_IP_LIMIT_PER_MINUTE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) PUBLIC_LIMIT_PER_MINUTE?: number;
  @IsOptional()
  @Transform(emptyAsUnset)
  @IsString()
  @Matches(TRUST_PROXY_PATTERN)
  TRUST_PROXY?: string;
  @IsOptional()
  @Transform(emptyAsUnset)
  @IsString()
  @Matches(CORS_ORIGINS_PATTERN)
  CORS_ORIGINS?: string;
  @IsOptional() @IsUrl({ require_tld: false }) PUBLIC_BASE_URL?: string;
  @IsOptional() @IsUrl({ require_tld: false }) PORTAL_URL?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() SEED_DEMO?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) ASSIGNMENT_ASYNC_THRESHOLD?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(50) ASSIGNMENT_JOB_POLL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) ASSIGNMENT_JOB_STALE_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) ASSIGNMENT_JOB_TEST_DELAY_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) ASSIGNMENT_BATCH_SIZE?: number;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @IsOptional() @IsString() SMTP_URL?: string;
  @IsOptional() @IsEmail({ require_tld: false }) SMTP_FROM?: string;
  @IsOptional() @IsString() @MaxLength(200) SMTP_FROM_NAME?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(600_000) SMTP_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(50) SMTP_POOL_SIZE?: number;
  @IsOptional() @Transform(toBool) @IsBoolean() NOTIFY_WORKER_ENABLED?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(50) NOTIFY_WORKER_INTERVAL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) NOTIFY_BATCH_SIZE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(30) NOTIFY_MAX_ATTEMPTS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) NOTIFY_RETRY_BASE_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) NOTIFY_LEASE_SECONDS?: number;
  @IsOptional() @Transform(toBool) @IsBoolean() DAILY_SCAN_ENABLED?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) DAILY_SCAN_INTERVAL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) ATTEMPT_SCAN_INTERVAL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) SESSION_REMINDER_SCAN_MS?: number;
  @IsOptional() @IsIn(['smtp', 'log']) NOTIFY_CHANNEL?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() MIGRATE_ON_START?: boolean;
  @IsOptional() @Transform(toBool) @IsBoolean() EMBEDDED_IN_PRODUCTION?: boolean;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  accessTokenTtlSeconds: number;
  /** How long a session's actor is reused without asking the database (0: never). */
  authActorCacheMs: number;
  /**
   * How long while this replica hears the database's notices of changes to actors (PostgreSQL
   * only): a bound for a notice lost; changes are forgotten as they commit.
   */
  authActorCacheListenMs: number;
  /** argon2id cost of new password hashes; a check uses the cost stored in the hash. */
  passwordHash: { memoryKiB: number; passes: number };
  refreshTokenTtlDays: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginIpLimitPerMinute: number;
  publicLimitPerMinute: number;
  /** Express 'trust proxy': false (the default), a hop count, or addresses/CIDRs of proxies. */
  trustProxy: false | number | string[];
  /** Origins answered with CORS headers; empty: none (the API is then same-origin only). */
  corsOrigins: string[];
  publicBaseUrl: string;
  /**
   * Where learners sign in, printed in e-mails. Unset (the default until the web portal of a
   * later issue exists): e-mails carry no link, rather than one to a page that does not exist.
   */
  portalUrl: string;
  seedDemo: boolean | undefined;
  /**
   * Whether the start applies pending migrations (default: yes outside production). When it
   * does not, a schema older than the code stops the start: run `npm run migration:run` first.
   */
  migrateOnStart: boolean;
  /** Production on the embedded database, asked for on purpose with EMBEDDED_IN_PRODUCTION. */
  embeddedInProduction: boolean;
  logLevel: string;
  /** Audiences larger than this are assigned by a background job (202). */
  assignmentAsyncThreshold: number;
  assignmentJobPollMs: number;
  /** A 'running' job whose heartbeat is older than this was orphaned by a crash. */
  assignmentJobStaleSeconds: number;
  /** Tests only: a pause between batches of a job, so a test can kill the process mid-way. */
  assignmentJobTestDelayMs: number;
  /** Rows of the audience written per INSERT … SELECT of a run (progress granularity). */
  assignmentBatchSize: number;
  /**
   * 'smtp' with SMTP_URL, else 'log'; NOTIFY_CHANNEL=log keeps messages in the log even when
   * SMTP_URL is set. Production asks for one of the two explicitly.
   */
  notifyChannel: 'smtp' | 'log';
  /** Unset (channel 'log'): messages are written to the log and marked sent with channel 'log'. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  smtpFromName: string;
  smtpTimeoutMs: number;
  /** SMTP connections kept open, and messages the worker sends at once. */
  smtpPoolSize: number;
  /** The in-process outbox worker; off in tests unless asked for. */
  notifyWorkerEnabled: boolean;
  notifyWorkerIntervalMs: number;
  notifyBatchSize: number;
  notifyMaxAttempts: number;
  /** Backoff: the n-th failed attempt waits base × 2^n seconds. */
  notifyRetryBaseSeconds: number;
  /** A row left 'sending' (a crashed worker) is retried only after this lease. */
  notifyLeaseSeconds: number;
  /** The daily scan (completions, recertification windows, reminders); off in tests. */
  dailyScanEnabled: boolean;
  dailyScanIntervalMs: number;
  /** How often open attempts past their deadline are submitted (with the daily scan's switch). */
  attemptScanIntervalMs: number;
  /** How often session days starting within 24 hours are reminded (with the daily scan's switch). */
  sessionReminderScanIntervalMs: number;
}

export class ConfigError extends Error {}

/** argon2's defaults (64 MiB, 3 passes), the cost every deployment gets unless it says otherwise. */
export const PRODUCTION_HASH = { memoryKiB: 65_536, passes: 3 } as const;
/** OWASP's floor for argon2id (19 MiB, 2 passes): production refuses anything cheaper. */
const OWASP_MIN_HASH = { memoryKiB: 19_456, passes: 2 } as const;

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const env = plainToInstance(Environment, { ...source });
  const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
  if (errors.length) {
    const names = errors.map((e) => e.property).join(', ');
    throw new ConfigError(`Cấu hình không hợp lệ / invalid configuration: ${names}`);
  }
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['env'];
  if (env.SMTP_URL) {
    try {
      parseSmtpUrl(env.SMTP_URL);
    } catch (e) {
      throw new ConfigError(`SMTP_URL không hợp lệ / invalid: ${(e as Error).message}`);
    }
  }
  if (env.NOTIFY_CHANNEL === 'smtp' && !env.SMTP_URL) {
    throw new ConfigError('NOTIFY_CHANNEL=smtp cần SMTP_URL / needs SMTP_URL');
  }
  if (nodeEnv === 'production') {
    const problems = productionProblems(env);
    if (problems.length) {
      throw new ConfigError(`NODE_ENV=production: ${problems.join('; ')}`);
    }
  }
  const notifyChannel: AppConfig['notifyChannel'] =
    env.NOTIFY_CHANNEL === 'log' || !env.SMTP_URL ? 'log' : 'smtp';
  const port = env.PORT ?? 3000;
  return {
    env: nodeEnv,
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    // Without a configured secret, tokens are signed with a per-process key: fine for the demo,
    // and it forces every real deployment to set one.
    jwtSecret: env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    jwtSecretGenerated: !env.JWT_SECRET,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS ?? 900,
    authActorCacheMs: env.AUTH_ACTOR_CACHE_MS ?? 5000,
    authActorCacheListenMs: env.AUTH_ACTOR_CACHE_LISTEN_MS ?? 60_000,
    passwordHash: {
      memoryKiB: env.PASSWORD_HASH_MEMORY_KIB ?? PRODUCTION_HASH.memoryKiB,
      passes: env.PASSWORD_HASH_PASSES ?? PRODUCTION_HASH.passes,
    },
    refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS ?? 30,
    loginMaxFailures: env.LOGIN_MAX_FAILURES ?? 5,
    loginLockMinutes: env.LOGIN_LOCK_MINUTES ?? 15,
    loginIpLimitPerMinute: env.LOGIN_IP_LIMIT_PER_MINUTE ?? 30,
    publicLimitPerMinute: env.PUBLIC_LIMIT_PER_MINUTE ?? 60,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    // The learner's home in the portal this app serves (sign-in first when needed).
    portalUrl:
      env.PORTAL_URL ||
      `${(env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '')}/learn`,
    seedDemo: env.SEED_DEMO,
    migrateOnStart: env.MIGRATE_ON_START ?? nodeEnv !== 'production',
    embeddedInProduction: env.EMBEDDED_IN_PRODUCTION ?? false,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    assignmentAsyncThreshold: env.ASSIGNMENT_ASYNC_THRESHOLD ?? 5000,
    assignmentJobPollMs: env.ASSIGNMENT_JOB_POLL_MS ?? 1000,
    assignmentJobStaleSeconds: env.ASSIGNMENT_JOB_STALE_SECONDS ?? 60,
    assignmentJobTestDelayMs: env.ASSIGNMENT_JOB_TEST_DELAY_MS ?? 0,
    assignmentBatchSize: env.ASSIGNMENT_BATCH_SIZE ?? 50_000,
    notifyChannel,
    smtpUrl: notifyChannel === 'smtp' ? env.SMTP_URL : undefined,
    smtpFrom: env.SMTP_FROM ?? 'no-reply@lms.congdoan.test',
    smtpFromName: env.SMTP_FROM_NAME ?? 'Hệ thống đào tạo cán bộ công đoàn',
    smtpTimeoutMs: env.SMTP_TIMEOUT_MS ?? 30_000,
    smtpPoolSize: env.SMTP_POOL_SIZE ?? 3,
    notifyWorkerEnabled: env.NOTIFY_WORKER_ENABLED ?? nodeEnv !== 'test',
    notifyWorkerIntervalMs: env.NOTIFY_WORKER_INTERVAL_MS ?? 5000,
    notifyBatchSize: env.NOTIFY_BATCH_SIZE ?? 50,
    notifyMaxAttempts: env.NOTIFY_MAX_ATTEMPTS ?? 6,
    notifyRetryBaseSeconds: env.NOTIFY_RETRY_BASE_SECONDS ?? 60,
    notifyLeaseSeconds: env.NOTIFY_LEASE_SECONDS ?? 300,
    dailyScanEnabled: env.DAILY_SCAN_ENABLED ?? nodeEnv !== 'test',
    dailyScanIntervalMs: env.DAILY_SCAN_INTERVAL_MS ?? 3_600_000,
    attemptScanIntervalMs: env.ATTEMPT_SCAN_INTERVAL_MS ?? 60_000,
    sessionReminderScanIntervalMs: env.SESSION_REMINDER_SCAN_MS ?? 900_000,
  };
}

/**
 * What a production start refuses, each in one short phrase (Vietnamese / English): the demo
 * conveniences that are fine on a laptop and wrong for a federation's members.
 */
function productionProblems(env: Environment): string[] {
  const problems: string[] = [];
  if (!env.JWT_SECRET) {
    problems.push('JWT_SECRET (≥ 32 ký tự/characters) là bắt buộc / is required');
  }
  if (!env.DATABASE_URL && env.EMBEDDED_IN_PRODUCTION !== true) {
    problems.push(
      'cần DATABASE_URL / DATABASE_URL is required (the embedded database is for trying; ' +
        'EMBEDDED_IN_PRODUCTION=true allows it on purpose)',
    );
  }
  if (
    (env.PASSWORD_HASH_MEMORY_KIB ?? PRODUCTION_HASH.memoryKiB) < OWASP_MIN_HASH.memoryKiB ||
    (env.PASSWORD_HASH_PASSES ?? PRODUCTION_HASH.passes) < OWASP_MIN_HASH.passes
  ) {
    problems.push(
      'mật khẩu băm quá yếu / PASSWORD_HASH_MEMORY_KIB ≥ 19456 and PASSWORD_HASH_PASSES ≥ 2 are required',
    );
  }
  if (env.SEED_DEMO === true) {
    problems.push('không nạp dữ liệu mẫu / SEED_DEMO=true is refused (demo accounts)');
  }
  if (!env.SMTP_URL && env.NOTIFY_CHANNEL !== 'log') {
    problems.push(
      'cần SMTP_URL hoặc NOTIFY_CHANNEL=log / SMTP_URL or NOTIFY_CHANNEL=log is required',
    );
  }
  return problems;
}

function parseTrustProxy(value: string | undefined): AppConfig['trustProxy'] {
  const text = value?.trim();
  if (!text || text === 'false' || text === '0') return false;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((a) => a.trim());
  for (const item of list) {
    const [address, bits] = item.split('/');
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(item);
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const prefixOk =
      bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits) || isIP(bits) === 4;
    if (!named && (!family || !prefixOk)) {
      throw new ConfigError(`TRUST_PROXY không hợp lệ / invalid: ${item}`);
    }
  }
  return list;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
