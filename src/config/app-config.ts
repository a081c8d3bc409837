import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes'].includes(typeof value === 'string' ? value : JSON.stringify(value));

/** The environment variables the service reads, validated once at start. */
class Environment {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() DATABASE_URL?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional() @IsString() @MinLength(32) JWT_SECRET?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(60) @Max(3600) ACCESS_TOKEN_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(365) REFRESH_TOKEN_TTL_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) LOGIN_MAX_FAILURES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1440) LOGIN_LOCK_MINUTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) LOGIN_IP_LIMIT_PER_MINUTE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) PUBLIC_LIMIT_PER_MINUTE?: number;
  @IsOptional() @IsUrl({ require_tld: false }) PUBLIC_BASE_URL?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() SEED_DEMO?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) ASSIGNMENT_ASYNC_THRESHOLD?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(50) ASSIGNMENT_JOB_POLL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) ASSIGNMENT_JOB_STALE_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) ASSIGNMENT_JOB_TEST_DELAY_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) ASSIGNMENT_BATCH_SIZE?: number;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginIpLimitPerMinute: number;
  publicLimitPerMinute: number;
  publicBaseUrl: string;
  seedDemo: boolean | undefined;
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
}

export class ConfigError extends Error {}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const env = plainToInstance(Environment, { ...source });
  const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
  if (errors.length) {
    const names = errors.map((e) => e.property).join(', ');
    throw new ConfigError(`Cấu hình không hợp lệ / invalid configuration: ${names}`);
  }
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['env'];
  if (nodeEnv === 'production' && !env.JWT_SECRET) {
    throw new ConfigError('JWT_SECRET (≥ 32 ký tự/characters) là bắt buộc khi NODE_ENV=production');
  }
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
    refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS ?? 30,
    loginMaxFailures: env.LOGIN_MAX_FAILURES ?? 5,
    loginLockMinutes: env.LOGIN_LOCK_MINUTES ?? 15,
    loginIpLimitPerMinute: env.LOGIN_IP_LIMIT_PER_MINUTE ?? 30,
    publicLimitPerMinute: env.PUBLIC_LIMIT_PER_MINUTE ?? 60,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    seedDemo: env.SEED_DEMO,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    assignmentAsyncThreshold: env.ASSIGNMENT_ASYNC_THRESHOLD ?? 5000,
    assignmentJobPollMs: env.ASSIGNMENT_JOB_POLL_MS ?? 1000,
    assignmentJobStaleSeconds: env.ASSIGNMENT_JOB_STALE_SECONDS ?? 60,
    assignmentJobTestDelayMs: env.ASSIGNMENT_JOB_TEST_DELAY_MS ?? 0,
    assignmentBatchSize: env.ASSIGNMENT_BATCH_SIZE ?? 50_000,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
