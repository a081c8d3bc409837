import type { Workbook as StreamWorkbook } from 'exceljs';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openAsBlob,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { csvWriter } from '../../src/common/csv/csv';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { foldForSearch, personSortKey, vietnameseSortKey } from '../../src/common/text/vietnamese';
import {
  GENDER_CHOICES,
  IMPORT_KIND_SPECS,
  LEVEL_CHOICES,
  SECTOR_CHOICES,
} from '../../src/imports/import-kinds.types';
import { DEMO_PASSWORD } from '../../src/seed/demo-data';
import { Measure, MeasureResult, round, Scale } from './measure';

/**
 * Issue 15, benchmark: `npm run bench` imports a national file — ~150k units and 1.2 million
 * people, generated as CSV and as XLSX — through the import API, and prints the time beside a
 * bare COPY of the same rows into the same tables in the same run (target: within 3 × for CSV),
 * and the peak resident set of the server process (target: under 500 MB for both formats).
 *
 * (a) The generator streams the file: 63 federations (the provinces' CCCD codes) → upper units
 *     → grassroots; people with valid, unique CCCDs (province, gender and century digit, birth
 *     year, serial), Vietnamese names, birth dates, phones and the grassroots' codes. Written
 *     with the service's CSV writer (csv-stringify) and exceljs's streaming WorkbookWriter to a
 *     temp folder, kept between runs of the same scale.
 * (b) The baseline: the same rows, already in the tables' column form, COPY FROM STDIN into
 *     org_units and people inside a transaction that is rolled back.
 * (c) The import: the server (dist/, as `npm start` runs it) in a child process on a scratch
 *     database, POST /api/v1/imports (multipart: file, kind, mode=commit, onError=all-or-none)
 *     answering 202 {id}, then GET /api/v1/imports/:id until `done` or `failed`. Until the
 *     import API exists (POST answers 404) this part prints "import API not present" and the
 *     import's values are null (NaN in the results).
 * Peak RSS is the child's VmHWM (/proc/<pid>/status), reset after boot (clear_refs) where the
 * kernel allows it.
 */

/** Units per federation (uppers) and per upper (grassroots), and people, per scale. */
export const IMPORT_SHAPES: Record<Scale, { uppers: number; grassroots: number; people: number }> =
  {
    smoke: { uppers: 3, grassroots: 7, people: 12_000 }, // 1,575 units
    province: { uppers: 12, grassroots: 19, people: 120_000 }, // 15,183 units
    national: { uppers: 40, grassroots: 58, people: 1_200_000 }, // 148,743 units
  };

/** The 63 provinces and cities by their CCCD code (the org unit's province code is its last two digits). */
const PROVINCES: readonly [string, string][] = [
  ['001', 'Hà Nội'],
  ['002', 'Hà Giang'],
  ['004', 'Cao Bằng'],
  ['006', 'Bắc Kạn'],
  ['008', 'Tuyên Quang'],
  ['010', 'Lào Cai'],
  ['011', 'Điện Biên'],
  ['012', 'Lai Châu'],
  ['014', 'Sơn La'],
  ['015', 'Yên Bái'],
  ['017', 'Hòa Bình'],
  ['019', 'Thái Nguyên'],
  ['020', 'Lạng Sơn'],
  ['022', 'Quảng Ninh'],
  ['024', 'Bắc Giang'],
  ['025', 'Phú Thọ'],
  ['026', 'Vĩnh Phúc'],
  ['027', 'Bắc Ninh'],
  ['030', 'Hải Dương'],
  ['031', 'Hải Phòng'],
  ['033', 'Hưng Yên'],
  ['034', 'Thái Bình'],
  ['035', 'Hà Nam'],
  ['036', 'Nam Định'],
  ['037', 'Ninh Bình'],
  ['038', 'Thanh Hóa'],
  ['040', 'Nghệ An'],
  ['042', 'Hà Tĩnh'],
  ['044', 'Quảng Bình'],
  ['045', 'Quảng Trị'],
  ['046', 'Thừa Thiên Huế'],
  ['048', 'Đà Nẵng'],
  ['049', 'Quảng Nam'],
  ['051', 'Quảng Ngãi'],
  ['052', 'Bình Định'],
  ['054', 'Phú Yên'],
  ['056', 'Khánh Hòa'],
  ['058', 'Ninh Thuận'],
  ['060', 'Bình Thuận'],
  ['062', 'Kon Tum'],
  ['064', 'Gia Lai'],
  ['066', 'Đắk Lắk'],
  ['067', 'Đắk Nông'],
  ['068', 'Lâm Đồng'],
  ['070', 'Bình Phước'],
  ['072', 'Tây Ninh'],
  ['074', 'Bình Dương'],
  ['075', 'Đồng Nai'],
  ['077', 'Bà Rịa – Vũng Tàu'],
  ['079', 'Hồ Chí Minh'],
  ['080', 'Long An'],
  ['082', 'Tiền Giang'],
  ['083', 'Bến Tre'],
  ['084', 'Trà Vinh'],
  ['086', 'Vĩnh Long'],
  ['087', 'Đồng Tháp'],
  ['089', 'An Giang'],
  ['091', 'Kiên Giang'],
  ['092', 'Cần Thơ'],
  ['093', 'Hậu Giang'],
  ['094', 'Sóc Trăng'],
  ['095', 'Bạc Liêu'],
  ['096', 'Cà Mau'],
];

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = [
  ['Văn', 'Đức', 'Minh', 'Quốc', 'Hữu', 'Thành'],
  ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Mai', 'Kim'],
];
const GIVEN = [
  ['Dũng', 'Hùng', 'Tuấn', 'Sơn', 'Long', 'Cường', 'Thắng', 'Phúc', 'Khánh', 'Việt', 'Đạt'],
  ['Hương', 'Lan', 'Hà', 'Yến', 'Trang', 'Thảo', 'Ngân', 'Nhung', 'Phương', 'Ánh', 'Hằng'],
];
const COMPANIES = [
  'Công ty TNHH Điện tử',
  'Công ty Cổ phần May',
  'Trường THPT',
  'Bệnh viện Đa khoa',
  'Hợp tác xã Nông nghiệp',
  'Công ty Xây dựng Đông Á',
];
const SECTORS = [
  'private',
  'state_enterprise',
  'public_service',
  'fdi',
  'cooperative',
  'informal',
] as const;
const ROOT_CODE = 'VGCL';

const levelWord = (v: string) => LEVEL_CHOICES.find((c) => c.value === v)!.words[0];
const sectorWord = (v: string) => SECTOR_CHOICES.find((c) => c.value === v)!.words[0];
const genderWord = (v: string) => GENDER_CHOICES.find((c) => c.value === v)!.words[0];

/** Mobile prefixes the numbering plan allocates (Viettel, VinaPhone, MobiFone …): the import checks. */
const MOBILE_PREFIXES = [
  '091',
  '094',
  '088',
  '098',
  '097',
  '086',
  '090',
  '093',
  '070',
  '079',
  '077',
  '032',
  '035',
  '038',
  '083',
  '084',
  '085',
];

interface GenUnit {
  id: string;
  /** 0-based place in the file: seq = base + index + 1. */
  index: number;
  code: string;
  name: string;
  level: 'federation' | 'upper' | 'grassroots';
  parent: GenUnit | null;
  sector: (typeof SECTORS)[number] | null;
  provinceCode: string;
  memberCount: number;
  depth: number;
}

interface GenPerson {
  familyName: string;
  middleName: string;
  givenName: string;
  fullName: string;
  birthDate: string;
  gender: 'male' | 'female';
  nationalId: string;
  phone: string;
  unit: GenUnit;
}

/** The tree, parent first (federation, its uppers each followed by its grassroots). */
function* generateUnits(scale: Scale): Generator<GenUnit> {
  const { uppers, grassroots } = IMPORT_SHAPES[scale];
  let index = 0;
  for (const [cccd, province] of PROVINCES) {
    const pc = cccd.slice(1);
    const fed: GenUnit = {
      id: randomUUID(),
      index: index++,
      code: `LD${pc}`,
      name: `Liên đoàn Lao động ${province}`,
      level: 'federation',
      parent: null,
      sector: null,
      provinceCode: pc,
      memberCount: 250_000,
      depth: 1,
    };
    yield fed;
    for (let u = 1; u <= uppers; u += 1) {
      const upper: GenUnit = {
        id: randomUUID(),
        index: index++,
        code: `${fed.code}-U${String(u).padStart(3, '0')}`,
        name: `Công đoàn Khu công nghiệp số ${u} – ${province}`,
        level: 'upper',
        parent: fed,
        sector: null,
        provinceCode: pc,
        memberCount: 6_000,
        depth: 2,
      };
      yield upper;
      for (let g = 1; g <= grassroots; g += 1) {
        yield {
          id: randomUUID(),
          index: index++,
          code: `${upper.code}-G${String(g).padStart(3, '0')}`,
          name: `Công đoàn cơ sở ${COMPANIES[(u + g) % COMPANIES.length]} Đức Thắng số ${g} – ${province}`,
          level: 'grassroots',
          parent: upper,
          sector: SECTORS[(u * 7 + g) % SECTORS.length],
          provinceCode: pc,
          memberCount: 100 + ((u * 31 + g * 17) % 900),
          depth: 3,
        };
      }
    }
  }
}

/**
 * People spread over the grassroots; each CCCD is the province's code, the gender and century
 * digit (0/1 born 1900s, 2/3 born 2000s, even for men), the year's last two digits and a serial
 * counted per (province, digit, year), so every number is valid and none repeats.
 */
function* generatePeople(scale: Scale, grassroots: readonly GenUnit[]): Generator<GenPerson> {
  const serials = new Map<string, number>();
  const total = IMPORT_SHAPES[scale].people;
  for (let i = 0; i < total; i += 1) {
    const unit = grassroots[i % grassroots.length];
    const female = i % 2;
    const year = 1965 + ((i * 7919) % 40);
    const month = 1 + (i % 12);
    const dayOfMonth = 1 + ((i * 13) % 28);
    const digit = (year >= 2000 ? 2 : 0) + female;
    const prefix = `0${unit.provinceCode}${digit}${String(year % 100).padStart(2, '0')}`;
    const serial = (serials.get(prefix) ?? 0) + 1;
    serials.set(prefix, serial);
    const familyName = FAMILY[(i * 3 + (i >> 4)) % FAMILY.length];
    const middleName = MIDDLE[female][(i >> 1) % MIDDLE[female].length];
    const givenName = GIVEN[female][(i * 5 + (i >> 3)) % GIVEN[female].length];
    yield {
      familyName,
      middleName,
      givenName,
      fullName: `${familyName} ${middleName} ${givenName}`,
      birthDate: `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`,
      gender: female ? 'female' : 'male',
      nationalId: `${prefix}${String(serial).padStart(6, '0')}`,
      phone: `${MOBILE_PREFIXES[i % MOBILE_PREFIXES.length]}${String((i * 7_654_321 + 1_234_567) % 10_000_000).padStart(7, '0')}`,
      unit,
    };
  }
}

/** The tree once (ids and parents are needed by the people and by the COPY). */
function unitTree(scale: Scale): { units: GenUnit[]; grassroots: GenUnit[] } {
  const units = [...generateUnits(scale)];
  return { units, grassroots: units.filter((u) => u.level === 'grassroots') };
}

// ---- (a) the files ---------------------------------------------------------------------------

type FileCell = string | number | Date | null;

function unitCells(u: GenUnit): FileCell[] {
  return [
    u.code,
    u.name,
    levelWord(u.level),
    u.parent?.code ?? ROOT_CODE,
    null,
    u.sector ? sectorWord(u.sector) : null,
    u.provinceCode,
    u.memberCount,
  ];
}

function personCells(p: GenPerson, asDate: boolean): FileCell[] {
  const [y, m, d] = p.birthDate.split('-');
  return [
    null,
    p.fullName,
    null,
    null,
    null,
    asDate ? new Date(`${p.birthDate}T00:00:00Z`) : `${d}/${m}/${y}`,
    genderWord(p.gender),
    '01',
    p.nationalId,
    null,
    p.phone,
    p.unit.code,
  ];
}

async function writeCsvFile(path: string, header: string[], rows: Iterable<FileCell[]>) {
  function* lines() {
    yield header;
    for (const row of rows) yield row as (string | number | null)[];
  }
  await pipeline(Readable.from(lines()), csvWriter(), createWriteStream(path));
}

async function writeXlsxFile(
  path: string,
  sheetName: string,
  header: string[],
  rows: Iterable<FileCell[]>,
  dateColumn: number,
) {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useStyles: true,
    useSharedStrings: false,
  }) as unknown as StreamWorkbook & { commit(): Promise<void> };
  const sheet = book.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const head = sheet.addRow(header);
  head.font = { bold: true };
  head.commit();
  let n = 0;
  for (const cells of rows) {
    const row = sheet.addRow(cells);
    if (dateColumn >= 0 && cells[dateColumn] instanceof Date) {
      row.getCell(dateColumn + 1).numFmt = 'dd/mm/yyyy';
    }
    row.commit();
    // Let the zip's deflater keep up (see src/common/csv/table.ts, XLSX_YIELD_EVERY).
    if (++n % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  sheet.commit();
  await book.commit();
}

interface GeneratedFiles {
  dir: string;
  units: number;
  people: number;
  files: Record<'csv' | 'xlsx', { org_units: string; people: string }>;
  /** The same rows in the tables' column form, for the bare COPY. */
  copy: { org_units: string; people: string };
  /** The id the COPY files give the root unit. */
  rootId: string;
  /** Seconds to write each format's two files (0 when reused from an earlier run). */
  seconds: Record<'csv' | 'xlsx', number>;
}

async function generateFiles(scale: Scale): Promise<GeneratedFiles> {
  const dir = join(tmpdir(), `lms-import-bench-${scale}`);
  mkdirSync(dir, { recursive: true });
  const files = {
    csv: { org_units: join(dir, 'don-vi.csv'), people: join(dir, 'can-bo.csv') },
    xlsx: { org_units: join(dir, 'don-vi.xlsx'), people: join(dir, 'can-bo.xlsx') },
  };
  const copy = { org_units: join(dir, 'copy-don-vi.csv'), people: join(dir, 'copy-can-bo.csv') };
  const marker = join(dir, 'done.json');
  const header = (kind: 'org_units' | 'people') =>
    IMPORT_KIND_SPECS[kind].columns.map((c) => c.header);
  const all = [marker, copy.org_units, copy.people, ...Object.values(files).flatMap(Object.values)];
  if (all.every((f) => existsSync(f))) {
    const done = JSON.parse(await readFile(marker, 'utf8')) as Partial<GeneratedFiles>;
    if (done.rootId && done.units && done.people) {
      const { rootId, units, people } = done;
      return { dir, units, people, rootId, files, copy, seconds: { csv: 0, xlsx: 0 } };
    }
  }
  const { units, grassroots } = unitTree(scale);
  const seconds = { csv: 0, xlsx: 0 };
  for (const format of ['csv', 'xlsx'] as const) {
    const started = process.hrtime.bigint();
    const unitRows = units.map(unitCells);
    const peopleRows = function* () {
      for (const p of generatePeople(scale, grassroots)) yield personCells(p, format === 'xlsx');
    };
    if (format === 'csv') {
      await writeCsvFile(files.csv.org_units, header('org_units'), unitRows);
      await writeCsvFile(files.csv.people, header('people'), peopleRows());
    } else {
      const birth = IMPORT_KIND_SPECS.people.columns.findIndex((c) => c.key === 'birthDate');
      await writeXlsxFile(
        files.xlsx.org_units,
        IMPORT_KIND_SPECS.org_units.sheet,
        header('org_units'),
        unitRows,
        -1,
      );
      await writeXlsxFile(
        files.xlsx.people,
        IMPORT_KIND_SPECS.people.sheet,
        header('people'),
        peopleRows(),
        birth,
      );
    }
    seconds[format] = Number(process.hrtime.bigint() - started) / 1e9;
  }
  const rootId = randomUUID();
  await writeCopyFiles(copy, scale, units, grassroots, rootId);
  const counts = { units: units.length, people: IMPORT_SHAPES[scale].people, rootId };
  await writeFile(marker, JSON.stringify(counts));
  return { dir, ...counts, files, copy, seconds };
}

// ---- (b) the bare COPY -----------------------------------------------------------------------

/** One CSV line for COPY … (FORMAT csv): every field quoted, NULL as an unquoted empty field. */
function copyLine(fields: readonly (string | number | null)[]): string {
  return (
    fields
      .map((f) =>
        f === null ? '' : typeof f === 'number' ? String(f) : `"${f.replace(/"/g, '""')}"`,
      )
      .join(',') + '\n'
  );
}

const UNIT_COLUMNS =
  'id, seq, code, name, search_name, sort_key, level, sector, province_code, parent_id, path, depth, member_count';
const PERSON_COLUMNS =
  'family_name, middle_name, given_name, full_name, search_name, sort_key, birth_date, gender, ethnicity_code, national_id, phone, home_org_unit_id';

/**
 * The rows of both files, already in the tables' column form (writeCopyFiles), COPY FROM STDIN
 * in one transaction, rolled back. Returns the seconds from the first COPY to the end of the last.
 */
async function bareCopy(url: string, generated: GeneratedFiles): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    // The scratch copy holds no unit: the confederation the federations hang from, with the id
    // and path the COPY files were written for (rolled back with the rest).
    const {
      rows: [{ n }],
    } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM org_units');
    if (n !== 0) throw new Error(`the scratch database already holds ${n} units`);
    await client.query(
      `INSERT INTO org_units (id, seq, code, name, search_name, sort_key, level, path, depth)
       VALUES ($1, 1, $2, 'Tổng Liên đoàn Lao động Việt Nam', 'tong lien doan lao dong viet nam',
               'tong lien doan', 'confederation', '/1/', 0)`,
      [generated.rootId, ROOT_CODE],
    );
    const started = process.hrtime.bigint();
    await pipeline(
      createReadStream(generated.copy.org_units),
      client.query(copyFrom(`COPY org_units (${UNIT_COLUMNS}) FROM STDIN WITH (FORMAT csv)`)),
    );
    await pipeline(
      createReadStream(generated.copy.people),
      client.query(copyFrom(`COPY people (${PERSON_COLUMNS}) FROM STDIN WITH (FORMAT csv)`)),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await client.query('ROLLBACK');
    return seconds;
  } finally {
    await client.end();
  }
}

/**
 * The same rows in the tables' own columns (ids, seq, paths, search and sort keys computed here,
 * as the import must compute them), for a database whose only unit is the root: seq 1, path /1/.
 */
async function writeCopyFiles(
  copy: { org_units: string; people: string },
  scale: Scale,
  units: readonly GenUnit[],
  grassroots: readonly GenUnit[],
  rootId: string,
): Promise<void> {
  const paths = new Map<string, string>();
  function* unitLines() {
    for (const u of units) {
      const seq = 2 + u.index;
      const path = `${u.parent ? paths.get(u.parent.id)! : '/1/'}${seq}/`;
      if (u.level !== 'grassroots') paths.set(u.id, path);
      yield copyLine([
        u.id,
        seq,
        u.code,
        u.name,
        foldForSearch(u.name),
        vietnameseSortKey(u.name),
        u.level,
        u.sector,
        u.provinceCode,
        u.parent?.id ?? rootId,
        path,
        u.depth,
        u.memberCount,
      ]);
    }
  }
  await pipeline(Readable.from(unitLines()), createWriteStream(copy.org_units));
  function* personLines() {
    for (const p of generatePeople(scale, grassroots)) {
      yield copyLine([
        p.familyName,
        p.middleName,
        p.givenName,
        p.fullName,
        foldForSearch(p.fullName),
        personSortKey(p),
        p.birthDate,
        p.gender,
        '01',
        p.nationalId,
        p.phone,
        p.unit.id,
      ]);
    }
  }
  await pipeline(Readable.from(personLines()), createWriteStream(copy.people));
}

// ---- (c) the import through the API ---------------------------------------------------------

class ImportApiMissing extends Error {}

interface Server {
  base: string;
  child: ChildProcess;
  token(): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const BASE_DB = 'lms_bench_import_base';

/**
 * The migrated schema with no rows of its own, kept between runs as a template: each run's
 * scratch database is a copy of it (seconds, where migrating afresh takes tens of seconds).
 * Pending migrations are applied to it first, so it follows the code.
 */
async function baseDatabase(baseUrl: string): Promise<void> {
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BASE_DB]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE "${BASE_DB}"`);
  } finally {
    await admin.end();
  }
  const ds = new DataSource(dataSourceOptions({ url: withDatabase(baseUrl, BASE_DB) }));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/** A fresh copy of the base for one run (dropped first if a run left it behind). */
async function scratchDatabase(baseUrl: string, scale: Scale): Promise<string> {
  const name = `lms_bench_import_${scale}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${BASE_DB}"`);
  } finally {
    await admin.end();
  }
  return withDatabase(baseUrl, name);
}

/**
 * Whether the server has the import API, as the committed OpenAPI document (kept equal to the
 * running app by test/openapi.e2e-spec.ts) says: when it has not, no server is booted for it.
 * The POST's own 404 guard (runImport) still holds if the document is behind.
 */
function importApiListed(): boolean {
  const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Boolean(doc.paths['/api/v1/imports']?.post);
}

/** The built server on `url`, migrated and seeded with the demo accounts, listening on a free port. */
async function startServer(url: string): Promise<Server> {
  const root = join(__dirname, '..', '..');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...startFlags(root), join(root, 'dist', 'src', 'main.js')],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: url,
        PORT: String(port),
        NODE_ENV: 'development',
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'true',
        MIGRATE_ON_START: 'true',
        LOGIN_IP_LIMIT_PER_MINUTE: '10000',
        // The national files are hundreds of megabytes.
        IMPORT_MAX_BYTES: String(4 * 2 ** 30),
      },
    },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${stderr}`);
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  let token: string | undefined;
  let tokenAt = 0;
  return {
    base,
    child,
    // Access tokens last 15 minutes; a national import outlives one.
    async token() {
      if (token && Date.now() - tokenAt < 10 * 60_000) return token;
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@lms.congdoan.test', password: DEMO_PASSWORD }),
      });
      if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
      token = ((await res.json()) as { accessToken: string }).accessToken;
      tokenAt = Date.now();
      return token;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Node's flags in `npm start` (the heap limits the server runs with), for the same process here. */
function startFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts.start.split(/\s+/);
  return words.slice(1).filter((w) => w.startsWith('--'));
}

/** The child's peak resident set so far, in MB (VmHWM), or NaN where /proc is missing. */
function peakRssMb(pid: number): number {
  try {
    const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? round(Number(kb) / 1024, 1) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Resets VmHWM to the current resident set, so that the peak is the import's, not the boot's. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

interface ImportState {
  id: string;
  state: string;
  rowsDone?: number;
  rowsTotal?: number;
}

/**
 * One file through the import API: POST /api/v1/imports (multipart), then GET
 * /api/v1/imports/:id until the import is `done`; `failed` (or any other end) throws. A 404 on
 * the POST means the API is not there yet: ImportApiMissing.
 */
export async function runImport(
  server: Server,
  kind: 'org_units' | 'people',
  format: 'csv' | 'xlsx',
  filePath: string,
): Promise<ImportState> {
  const form = new FormData();
  const type =
    format === 'csv'
      ? 'text/csv'
      : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  form.append('file', await openAsBlob(filePath, { type }), `${kind}.${format}`);
  form.append('kind', kind);
  form.append('mode', 'commit');
  form.append('onError', 'all-or-none');
  const auth = async () => ({ authorization: `Bearer ${await server.token()}` });
  const posted = await fetch(`${server.base}/api/v1/imports`, {
    method: 'POST',
    headers: await auth(),
    body: form,
  });
  if (posted.status === 404) {
    await posted.arrayBuffer();
    throw new ImportApiMissing();
  }
  if (posted.status !== 202 && posted.status !== 200 && posted.status !== 201) {
    throw new Error(
      `POST /api/v1/imports (${kind}, ${format}): ${posted.status} ${await posted.text()}`,
    );
  }
  let state = (await posted.json()) as ImportState;
  while (state.state !== 'done') {
    if (state.state === 'failed') {
      throw new Error(`import ${kind} (${format}) failed: ${JSON.stringify(state).slice(0, 2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
    const res = await fetch(`${server.base}/api/v1/imports/${state.id}`, { headers: await auth() });
    if (!res.ok)
      throw new Error(`GET /api/v1/imports/${state.id}: ${res.status} ${await res.text()}`);
    state = { ...state, ...((await res.json()) as ImportState) };
  }
  return state;
}

const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

// ---- the measures ----------------------------------------------------------------------------

interface ImportOutcome {
  rows: number;
  copySeconds: number;
  importSeconds: number;
  peakMb: number;
  peakFromBoot: boolean;
}

interface Prepared {
  generated: GeneratedFiles;
  copySeconds: number;
  /** Set when the import API answered 404: the import measures print null. */
  apiMissing: boolean;
}

let prepared: Promise<Prepared> | undefined;
const outcomes = new Map<'csv' | 'xlsx', Promise<ImportOutcome>>();

/** The files, the built server and the COPY baseline: once per run, shared by the measures. */
function prepare(baseUrl: string, scale: Scale): Promise<Prepared> {
  prepared ??= (async () => {
    const generated = await generateFiles(scale);
    const size = (p: string) => `${round(statSync(p).size / 2 ** 20, 1)} MB`;
    console.error(
      `import bench: ${generated.units} units, ${generated.people} people; files in ${generated.dir} ` +
        `(CSV ${size(generated.files.csv.org_units)} + ${size(generated.files.csv.people)}, written in ` +
        `${round(generated.seconds.csv, 1)} s; XLSX ${size(generated.files.xlsx.org_units)} + ` +
        `${size(generated.files.xlsx.people)}, written in ${round(generated.seconds.xlsx, 1)} s` +
        `${generated.seconds.csv === 0 ? ', reused' : ''})`,
    );
    const migrating = process.hrtime.bigint();
    await baseDatabase(baseUrl);
    const url = await scratchDatabase(baseUrl, scale);
    console.error(
      `import bench: scratch database ready in ${secondsSince(migrating).toFixed(1)} s`,
    );
    const copySeconds = await bareCopy(url, generated);
    console.error(
      `import bench: bare COPY of ${generated.units + generated.people} rows ` +
        `(org_units + people, rolled back): ${round(copySeconds, 2)} s`,
    );
    const apiMissing = !importApiListed();
    if (apiMissing) console.error('import bench: import API not present (not in openapi.json)');
    return { generated, copySeconds, apiMissing };
  })();
  return prepared;
}

/** Both files of one format through the API on a fresh database and a fresh server process. */
function importOnce(baseUrl: string, scale: Scale, format: 'csv' | 'xlsx'): Promise<ImportOutcome> {
  let outcome = outcomes.get(format);
  if (!outcome) {
    outcome = (async () => {
      const { generated, copySeconds, apiMissing } = await prepare(baseUrl, scale);
      const rows = generated.units + generated.people;
      const none = {
        rows,
        copySeconds,
        importSeconds: Number.NaN,
        peakMb: Number.NaN,
        peakFromBoot: false,
      };
      if (apiMissing) return none;
      const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], {
        cwd: join(__dirname, '..', '..'),
        stdio: 'inherit',
      });
      if (build.status !== 0) throw new Error('the build failed');
      const server = await startServer(await scratchDatabase(baseUrl, scale));
      try {
        const reset = resetPeak(server.child.pid!);
        const started = process.hrtime.bigint();
        try {
          await runImport(server, 'org_units', format, generated.files[format].org_units);
          await runImport(server, 'people', format, generated.files[format].people);
        } catch (error) {
          if (error instanceof ImportApiMissing) {
            console.error('import bench: import API not present (POST /api/v1/imports: 404)');
            // The other format need not boot a server to learn the same.
            (await prepare(baseUrl, scale)).apiMissing = true;
            return none;
          }
          throw error;
        }
        const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
        const peakMb = peakRssMb(server.child.pid!);
        console.error(
          `import bench (${format}): ${rows} rows imported in ${round(importSeconds, 1)} s; ` +
            `bare COPY ${round(copySeconds, 2)} s; ratio ${round(importSeconds / copySeconds, 2)} ` +
            `(target ≤ 3${format === 'csv' ? '' : ', CSV only'}); server peak RSS ${peakMb} MB ` +
            `(limit 500 MB${reset ? '' : '; peak since boot, clear_refs refused'})`,
        );
        return { rows, copySeconds, importSeconds, peakMb, peakFromBoot: !reset };
      } finally {
        await server.stop();
      }
    })();
    outcomes.set(format, outcome);
  }
  return outcome;
}

function timeMeasure(format: 'csv' | 'xlsx'): Measure {
  return {
    name: `imports.national-file-${format}`,
    needsDatabase: true,
    async run({ scale, databaseUrl }): Promise<MeasureResult> {
      const o = await importOnce(databaseUrl!, scale, format);
      return {
        name: this.name,
        value: round(o.importSeconds),
        unit: 's',
        baseline: round(o.copySeconds),
        ratio: round(o.importSeconds / o.copySeconds),
        n: o.rows,
      };
    },
  };
}

function rssMeasure(format: 'csv' | 'xlsx'): Measure {
  return {
    name: `imports.national-file-${format}-peak-rss`,
    needsDatabase: true,
    async run({ scale, databaseUrl }): Promise<MeasureResult> {
      const o = await importOnce(databaseUrl!, scale, format);
      // The baseline is the limit the issue sets: the ratio must stay under 1.
      return {
        name: this.name,
        value: o.peakMb,
        unit: 'MB',
        baseline: 500,
        ratio: round(o.peakMb / 500),
        n: o.rows,
      };
    },
  };
}

export const importCsvMeasure = timeMeasure('csv');
export const importCsvRssMeasure = rssMeasure('csv');
export const importXlsxMeasure = timeMeasure('xlsx');
export const importXlsxRssMeasure = rssMeasure('xlsx');
