import { EntityManager } from 'typeorm';
import { appendError, resolveRowUnits, settleOutcome, unitsMadeByFile } from './import-units.sql';
import { peopleMadeByFile } from './import-people.sql';

/**
 * Validation and writing of the accounts rows of an import (a sign-in e-mail, its person, and a
 * role over a unit's subtree), set-based over import_rows. Parameters: $1 the import id, $2 the
 * importer's accounts:manage scope prefixes — empty for HR, whose rows are all refused with the
 * reason (a dry run tells them so without a 403 for a workbook that also holds people).
 *
 * - An account is matched by its e-mail (lower-cased when read); a new one is made as an
 *   invitation makes it: active, with no password, so its status reads "invited" and the bulk
 *   invitation sends its link. The import itself sends nothing.
 * - One row per grant: the same e-mail on several rows gives one account several roles.
 * - The role is granted over the scope unit unless a live grant of it there exists already
 *   (the account and the grant both there: unchanged).
 * - accounts:manage belongs to administrators only, and the scope unit must lie in the
 *   importer's own accounts scope: so a role (admin included) is granted only by an
 *   administrator at or above the unit it covers.
 */
const ROWS = `r.import_id = $1 AND r.kind = 'accounts'`;
const MAY = `cardinality($2::text[]) > 0`;

const REF = `coalesce(r.national_id, r.external_id)`;

const AUDIT = `INSERT INTO audit_log (at, actor_user_id, actor_person_id, action, entity_type,
                                      entity_id, org_unit_id, org_path, before, after,
                                      request_id)`;

const PERSON_IN_FILE = `EXISTS (SELECT 1 FROM import_rows u WHERE u.import_id = $1
                           AND u.kind = 'people' AND u.outcome = 'created'
                           AND (u.national_id = r.national_id
                                OR u.external_id = coalesce(r.external_id, r.national_id)))`;

export async function validateAccounts(
  em: EntityManager,
  importId: string,
  scope: string[],
  label: (key: string) => string,
): Promise<void> {
  const run = (sql: string) => em.query(sql, [importId, scope]);
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('email'),
      `'Chỉ quản trị viên mới được nhập tài khoản và vai trò; hãy gửi tệp này cho quản trị viên.'`,
      `'Only administrators import accounts and roles; send this file to an administrator.'`,
    )}
      WHERE ${ROWS} AND NOT ${MAY}`,
  );
  // The scope unit, in the importer's accounts scope and open.
  await resolveRowUnits(run, 'accounts', label('scope'), { when: MAY, within: 'administered' });
  // The person, in scope (a CCCD outside it reads as unknown).
  await run(
    `UPDATE import_rows r SET person_id = p.id
       FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
      WHERE ${ROWS} AND ${MAY} AND p.national_id = r.national_id
        AND o.path LIKE ANY($2::text[])`,
  );
  await run(
    `UPDATE import_rows r SET person_id = p.id
       FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
      WHERE ${ROWS} AND ${MAY} AND r.person_id IS NULL
        AND p.external_id = coalesce(r.external_id, r.national_id) AND o.path LIKE ANY($2::text[])`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('person'),
      `'Không tìm thấy cán bộ có số CCCD hoặc mã cán bộ "' || ${REF} || '" trong phạm vi quản trị của bạn.'`,
      `'No person with national ID or external id "' || ${REF} || '" in the scope you administer.'`,
    )}
      WHERE ${ROWS} AND ${MAY} AND r.person_id IS NULL AND ${REF} IS NOT NULL
        AND NOT ${PERSON_IN_FILE}`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('person'),
      `'Cán bộ ' || p.full_name || ' không còn hoạt động.'`,
      `'The person ' || p.full_name || ' is no longer active.'`,
    )}
       FROM people p
      WHERE ${ROWS} AND ${MAY} AND p.id = r.person_id AND p.status <> 'active'`,
  );
  // One e-mail, one person; one person, one e-mail — within the file …
  await run(
    `WITH d AS (
       SELECT a.row_no, string_agg(b.row_no::text, ', ' ORDER BY b.row_no) AS rows
         FROM import_rows a JOIN import_rows b
           ON b.import_id = a.import_id AND b.kind = a.kind AND b.row_no <> a.row_no
          AND ((b.email = a.email AND coalesce(b.national_id, b.external_id)
                                      IS DISTINCT FROM coalesce(a.national_id, a.external_id))
            OR (b.email <> a.email AND coalesce(b.national_id, b.external_id)
                                       = coalesce(a.national_id, a.external_id)))
        WHERE a.import_id = $1 AND a.kind = 'accounts' AND ${MAY}
        GROUP BY a.row_no)
     UPDATE import_rows r SET ${appendError(
       label('email'),
       `'Một email chỉ cho một cán bộ và mỗi cán bộ một email: mâu thuẫn với dòng ' || d.rows || ' trong tệp.'`,
       `'One e-mail per person and one person per e-mail: row ' || d.rows || ' says otherwise.'`,
     )}
       FROM d
      WHERE ${ROWS} AND r.row_no = d.row_no`,
  );
  // … and against the stored accounts.
  await run(
    `UPDATE import_rows r SET target_id = u.id FROM user_accounts u
      WHERE ${ROWS} AND ${MAY} AND u.email = r.email`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('email'),
      `'Email "' || r.email || '" đã là tài khoản của một người khác.'`,
      `'E-mail "' || r.email || '" is already another person''s account.'`,
    )}
       FROM user_accounts u
      WHERE ${ROWS} AND ${MAY} AND u.id = r.target_id AND u.person_id IS DISTINCT FROM r.person_id`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('person'),
      `'Cán bộ này đã có tài khoản với email "' || u.email || '".'`,
      `'This person already has an account with the e-mail "' || u.email || '".'`,
    )}
       FROM user_accounts u
      WHERE ${ROWS} AND ${MAY} AND u.person_id = r.person_id AND u.email <> r.email`,
  );
  await run(
    settleOutcome(
      ROWS,
      `NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = r.target_id
                          AND g.role::text = r.role AND g.org_unit_id = r.unit_id
                          AND g.revoked_at IS NULL)`,
    ),
  );
}

/** Writes the valid rows: the new accounts (invited), then the grants they lack. */
export async function applyAccounts(em: EntityManager, importId: string): Promise<void> {
  const run = (sql: string) => em.query(sql, [importId]);
  const live = `r.outcome IN ('created', 'updated')`;
  await run(unitsMadeByFile(ROWS, `'created', 'updated'`));
  await run(peopleMadeByFile(ROWS));
  // No password: the owner sets one through the invitation link (status "invited").
  // Each account and grant is audited as POST /accounts and POST /accounts/:id/grants audit
  // them (the unit of the person, the unit the grant covers), in the statement that writes it.
  await run(
    `WITH made AS (
       INSERT INTO user_accounts (email, password_hash, person_id)
       SELECT DISTINCT ON (r.email) r.email, NULL, r.person_id
         FROM import_rows r
        WHERE ${ROWS} AND r.outcome = 'created'
        ORDER BY r.email, r.row_no
       RETURNING id, email, person_id, active)
     ${AUDIT}
     SELECT clock_timestamp(), i.actor_user_id, i.actor_person_id, 'account.create',
            'user_account', m.id, p.home_org_unit_id, o.path, NULL,
            jsonb_build_object('id', m.id, 'email', m.email, 'personId', m.person_id,
                               'active', m.active), NULL
       FROM made m JOIN imports i ON i.id = $1
       JOIN people p ON p.id = m.person_id LEFT JOIN org_units o ON o.id = p.home_org_unit_id`,
  );
  await run(
    `UPDATE import_rows r SET target_id = u.id FROM user_accounts u
      WHERE ${ROWS} AND r.target_id IS NULL AND ${live} AND u.email = r.email`,
  );
  await run(
    `WITH g AS (
       INSERT INTO role_grants (user_id, role, org_unit_id, granted_by)
       SELECT DISTINCT r.target_id, r.role::user_role, r.unit_id, i.actor_user_id
         FROM import_rows r JOIN imports i ON i.id = r.import_id
        WHERE ${ROWS} AND ${live}
       ON CONFLICT (user_id, role, org_unit_id) WHERE revoked_at IS NULL DO NOTHING
       RETURNING id, user_id, role, org_unit_id, granted_by, created_at)
     ${AUDIT}
     SELECT clock_timestamp(), i.actor_user_id, i.actor_person_id, 'role_grant.grant',
            'role_grant', g.id, g.org_unit_id, o.path, NULL,
            jsonb_build_object('id', g.id, 'userId', g.user_id, 'email', u.email,
                               'personId', u.person_id, 'role', g.role,
                               'orgUnitId', g.org_unit_id, 'grantedBy', g.granted_by,
                               'grantedAt', to_char(g.created_at AT TIME ZONE 'UTC',
                                                    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                               'revokedAt', NULL), NULL
       FROM g JOIN imports i ON i.id = $1 JOIN user_accounts u ON u.id = g.user_id
       LEFT JOIN org_units o ON o.id = g.org_unit_id`,
  );
}
