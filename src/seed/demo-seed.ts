import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { foldForSearch, personSortKey } from '../common/text/vietnamese';
import { insertOrgUnit } from '../org-units/org-units.service';
import { fullNameOf } from '../people/people.service';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_UNITS, demoNationalId, demoPeople } from './demo-data';

export interface SeedContext {
  em: EntityManager;
  unitIds: Map<string, string>;
  personIds: Map<string, string>;
  /** One line for whoever started the seed (the app's log, the CLI's output). */
  log: (message: string) => void;
}

/** Later modules add their demo data here, each idempotent, in module order. */
export type SeedStep = (ctx: SeedContext) => Promise<void>;

/**
 * Loads the demo set in one transaction. Idempotent: every row is keyed by a stable code,
 * national ID or e-mail and skipped when it exists, so `npm run seed` can run any number of times.
 *
 * Once loaded, the demo data is the users' to change (archive the demo programme, end an
 * appointment, …), and a later seed — every start with SEED_DEMO=true — must neither undo that
 * nor fail the start because of it: the steps skip what exists and leave alone what users have
 * changed, and on a database that already holds the demo, a step refused by a business rule
 * (DomainError) is rolled back to its savepoint and logged, the other steps still run. On an
 * empty database such a refusal is a bug of the seed and fails it.
 */
export async function seedDemo(
  dataSource: DataSource,
  hashPassword: (password: string) => Promise<string>,
  steps: SeedStep[] = [],
  log: (message: string) => void = () => undefined,
): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await dataSource.transaction(async (em) => {
    const [{ seeded }] = await em.query<{ seeded: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM user_accounts WHERE email = $1) AS seeded`,
      [DEMO_ACCOUNTS[0].email],
    );
    const unitIds = await seedUnits(em);
    const personIds = await seedPeople(em, unitIds);
    for (const account of DEMO_ACCOUNTS) {
      const personId = personIds.get(account.person)!;
      await em.query(
        `INSERT INTO user_accounts (email, password_hash, person_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [account.email, passwordHash, personId],
      );
      if (account.role && account.unit) {
        await em.query(
          `INSERT INTO role_grants (user_id, role, org_unit_id)
           SELECT u.id, $2::user_role, $3 FROM user_accounts u WHERE u.email = $1
           ON CONFLICT DO NOTHING`,
          [account.email, account.role, unitIds.get(account.unit)],
        );
      }
    }
    for (const step of steps) {
      const ctx = { em, unitIds, personIds, log };
      if (!seeded) {
        await step(ctx);
        continue;
      }
      await em.query('SAVEPOINT demo_seed_step');
      try {
        await step(ctx);
        await em.query('RELEASE SAVEPOINT demo_seed_step');
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await em.query('ROLLBACK TO SAVEPOINT demo_seed_step');
        log(
          `demo seed: step ${step.name} skipped, its demo data has changed since (${error.code})`,
        );
      }
    }
  });
}

async function seedUnits(em: EntityManager): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const unit of DEMO_UNITS) {
    let parent: { id: string; path: string; depth: number } | null = null;
    if (unit.parent) {
      const [row] = await em.query<{ id: string; path: string; depth: number }[]>(
        `SELECT id, path, depth FROM org_units WHERE code = $1`,
        [unit.parent],
      );
      parent = row ?? null;
    }
    await insertOrgUnit(
      em,
      {
        code: unit.code,
        name: unit.name,
        level: unit.level,
        sector: unit.sector ?? null,
        provinceCode: unit.provinceCode ?? null,
        parent,
        memberCount: unit.memberCount,
      },
      true,
    );
  }
  const codes = DEMO_UNITS.map((u) => u.code);
  const rows = await em.query<{ id: string; code: string }[]>(
    `SELECT id, code FROM org_units WHERE code = ANY($1)`,
    [codes],
  );
  for (const r of rows) ids.set(r.code, r.id);
  return ids;
}

async function seedPeople(
  em: EntityManager,
  unitIds: Map<string, string>,
): Promise<Map<string, string>> {
  const people = demoPeople();
  const byNationalId = new Map<string, string>();
  const values: unknown[] = [];
  const tuples: string[] = [];
  people.forEach((p, i) => {
    const unit = DEMO_UNITS.find((u) => u.code === p.unit)!;
    const nationalId = demoNationalId(p, i, unit.provinceCode ?? '01');
    byNationalId.set(nationalId, p.key);
    const fullName = fullNameOf(p);
    const row = [
      p.familyName,
      p.middleName,
      p.givenName,
      fullName,
      foldForSearch(fullName),
      personSortKey(p),
      p.birthDate,
      p.gender,
      '01',
      nationalId,
      `${p.key.toLowerCase()}@example.vn`,
      `09${String(10_000_000 + i * 7919).slice(-8)}`,
      unitIds.get(p.unit),
    ];
    const base = values.length;
    tuples.push(
      `(${row.map((_, j) => `$${base + j + 1}${j === 7 ? '::person_gender' : ''}`).join(', ')})`,
    );
    values.push(...row);
  });
  await em.query(
    `INSERT INTO people (family_name, middle_name, given_name, full_name, search_name, sort_key,
                         birth_date, gender, ethnicity_code, national_id, email, phone,
                         home_org_unit_id)
     VALUES ${tuples.join(', ')}
     ON CONFLICT (national_id) DO NOTHING`,
    values,
  );
  const rows = await em.query<{ id: string; national_id: string }[]>(
    `SELECT id, national_id FROM people WHERE national_id = ANY($1)`,
    [[...byNationalId.keys()]],
  );
  return new Map(rows.map((r) => [byNationalId.get(r.national_id)!, r.id]));
}
