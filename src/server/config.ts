import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseWorkHours } from './modules/calendar/work-hours.ts';

/**
 * Every setting is an environment variable; README's configuration table lists them with these defaults.
 * `loadConfig` takes the environment as an argument so tests can build an app with their own settings.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  dbPoolMax: number;
  timeZone: string;
  /** Working windows of a working day for time limits, e.g. `08:30-12:00,13:30-17:30` (validated at load). */
  workHours: string;
  sessionSecret: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  logLevel: string;
  loginMaxFailures: number;
  lockoutMinutes: number;
  /** Audit records are kept this many days (≥ 180, 等保 level 3), then purged by the auditRetention job. */
  auditRetentionDays: number;
  otpTtlSeconds: number;
  otpPerPhonePerHour: number;
  otpPerIpPerHour: number;
  /** Reports (H5 cases) and, separately, one-tap calls one resident account may send per hour. */
  reportsPerHour: number;
  /** Attachments one account may upload per hour. */
  uploadsPerHour: number;
  bodyLimitBytes: number;
  uploadMaxBytes: number;
  demoData: boolean;
  /** Leaflet tile URL template ({z}/{x}/{y}); empty: maps draw grids on a plain background. */
  mapTileUrl: string;
  mapTileAttribution: string;
  caseNumberPrefix: string;
  callbackMinutes: number;
  /** satisfactionRate counts a partly satisfied rating as this share of a satisfied one (0–1). */
  partlySatisfiedWeight: number;
  /** Rankings leave out (list separately) units with fewer cases than this in the period. */
  rankingMinVolume: number;
  workers: boolean;
  /** Who sends SMS / WeChat messages to residents: `log` (write them to the log) or `none`. */
  notifySenders: 'log' | 'none';
  webDir: string;
  /** The public address of the site (scheme and host, no trailing slash), e.g. for check-in QR codes; empty: the request's own. */
  publicUrl: string;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function fraction(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`${name} must be a number from 0 to 1, got "${raw}"`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

/** In development the session secret is generated once and kept in DATA_DIR so sessions survive restarts. */
function sessionSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  const given = env.SESSION_SECRET;
  if (given) {
    if (given.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters');
    return given;
  }
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** At least 180 days: the database refuses a shorter retention too (migrations/20261124_0240_audit_retention.sql). */
function auditRetentionDays(env: NodeJS.ProcessEnv): number {
  const raw = env.AUDIT_RETENTION_DAYS;
  if (raw === undefined || raw === '') return 365;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 180) {
    throw new Error(
      `AUDIT_RETENTION_DAYS must be a whole number of days, at least 180 (audit records are kept six months or more), got "${raw}"`,
    );
  }
  return value;
}

function casePrefix(raw: string | undefined): string {
  const value = raw || 'LL';
  if (!/^[A-Z]{1,6}$/.test(value)) throw new Error(`CASE_NUMBER_PREFIX must be 1–6 capital letters, got "${value}"`);
  return value;
}

function workHours(env: NodeJS.ProcessEnv): string {
  const raw = env.WORK_HOURS?.trim() || '09:00-17:00';
  parseWorkHours(raw);
  return raw;
}

/** A tile URL template: http(s) or same-origin, with {z}, {x} and {y}; `{s}` only in the host's first label. */
function mapTileUrl(raw: string | undefined): string {
  const value = raw?.trim() || '';
  if (!value) return '';
  const host = /^https?:\/\/([^/?#]+)/.exec(value)?.[1];
  // `{s}` (Leaflet's subdomains) is allowed in the first label only, so the CSP can name the host as `*.rest`.
  const placeholderBeyondFirstLabel = (host ?? '')
    .split('.')
    .slice(1)
    .some((label) => label.includes('{'));
  const ok =
    (host !== undefined || /^\/[^/]/.test(value)) &&
    ['{z}', '{x}', '{y}'].every((p) => value.includes(p)) &&
    !/\s/.test(value) &&
    !placeholderBeyondFirstLabel;
  if (!ok) {
    throw new Error(`MAP_TILE_URL must be an http(s) or /path URL template with {z}, {x} and {y}, got "${value}"`);
  }
  return value;
}

function notifySenders(raw: string | undefined): 'log' | 'none' {
  const value = raw?.trim() || 'log';
  if (value !== 'log' && value !== 'none') throw new Error(`NOTIFY_SENDERS must be log or none, got "${value}"`);
  return value;
}

/** An absolute http(s) origin (and optional path prefix), kept without a trailing slash. */
function publicUrl(raw: string | undefined): string {
  const value = raw?.trim() || '';
  if (!value) return '';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL must be an http(s) URL such as https://linli.example.gov.cn, got "${value}"`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new Error(`PUBLIC_URL must be an http(s) URL such as https://linli.example.gov.cn, got "${value}"`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * The data folder (database, session secret, uploads) must not lie inside the served web root, where the static
 * file handler would hand out uploads without the access check of GET /api/attachments/:id.
 */
function webDir(env: NodeJS.ProcessEnv, dataDir: string): string {
  const dir = path.resolve(env.WEB_DIR || 'dist/web');
  const relative = path.relative(dir, dataDir);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new Error(
      `DATA_DIR (${dataDir}) must not be inside WEB_DIR (${dir}): uploads would be served as static files`,
    );
  }
  return dir;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const web = webDir(env, dataDir);
  return {
    port: int(env, 'PORT', 3000),
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1),
    timeZone: env.LINLI_TIME_ZONE || 'Asia/Shanghai',
    workHours: workHours(env),
    sessionSecret: sessionSecret(env, dataDir),
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30, 1),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1),
    cookieSecure: bool(env, 'COOKIE_SECURE', false),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    logLevel: env.LOG_LEVEL || 'info',
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1),
    lockoutMinutes: int(env, 'LOCKOUT_MINUTES', 15, 1),
    auditRetentionDays: auditRetentionDays(env),
    otpTtlSeconds: int(env, 'OTP_TTL_SECONDS', 300, 30),
    otpPerPhonePerHour: int(env, 'OTP_PER_PHONE_PER_HOUR', 5, 1),
    otpPerIpPerHour: int(env, 'OTP_PER_IP_PER_HOUR', 30, 1),
    reportsPerHour: int(env, 'REPORTS_PER_HOUR', 20, 1),
    uploadsPerHour: int(env, 'UPLOADS_PER_HOUR', 120, 1),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024),
    uploadMaxBytes: int(env, 'UPLOAD_MAX_BYTES', 10 * 1024 * 1024, 1),
    demoData: bool(env, 'DEMO_DATA', true),
    mapTileUrl: mapTileUrl(env.MAP_TILE_URL),
    mapTileAttribution: env.MAP_TILE_ATTRIBUTION?.trim() || '',
    caseNumberPrefix: casePrefix(env.CASE_NUMBER_PREFIX),
    callbackMinutes: int(env, 'CALLBACK_MINUTES', 60, 1),
    partlySatisfiedWeight: fraction(env, 'PARTLY_SATISFIED_WEIGHT', 0.8),
    rankingMinVolume: int(env, 'RANKING_MIN_VOLUME', 10, 1),
    workers: bool(env, 'BACKGROUND_WORKERS', true),
    notifySenders: notifySenders(env.NOTIFY_SENDERS),
    webDir: web,
    publicUrl: publicUrl(env.PUBLIC_URL),
  };
}
