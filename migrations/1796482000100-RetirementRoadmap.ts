import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statutory retirement age by birth month (Labour Code 2019 art. 169, Decree 135/2020),
 * see src/planning/retirement.ts: the table, its rows as the law stands, and the SQL function
 * every statement uses for a retirement date. Editing the table marks the pipeline facts for a
 * full rebuild (their "first retirement" column depends on it).
 */
export class RetirementRoadmap1796482000100 implements MigrationInterface {
  name = 'RetirementRoadmap1796482000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "retirement_age_roadmap" ("gender" "public"."person_gender" NOT NULL, "born_from" date NOT NULL, "age_months" smallint NOT NULL, CONSTRAINT "ck_retirement_age_roadmap_age" CHECK (age_months BETWEEN 480 AND 900), CONSTRAINT "ck_retirement_age_roadmap_month" CHECK (EXTRACT(DAY FROM born_from) = 1), CONSTRAINT "PK_c1f8694c899155630df0c89259e" PRIMARY KEY ("gender", "born_from"))`,
    );
    // Written by hand after generation.
    await queryRunner.query(
      `CREATE FUNCTION retirement_roadmap_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE pipeline_facts_state SET as_of = NULL WHERE id = 1;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER tr_retirement_roadmap_changed
       AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "retirement_age_roadmap"
       FOR EACH STATEMENT EXECUTE FUNCTION retirement_roadmap_changed()`,
    );
    await queryRunner.query(
      `INSERT INTO "retirement_age_roadmap" ("gender", "born_from", "age_months")
       SELECT x.gender::person_gender, x.born_from::date, x.age_months
         FROM unnest($1::text[], $2::text[], $3::int[]) AS x(gender, born_from, age_months)`,
      [ROWS.map((r) => r[0]), ROWS.map((r) => r[1]), ROWS.map((r) => r[2])],
    );
    // The last day of the month in which the person reaches the age of their birth month's row;
    // null without a birth date or gender, or for a birth before the table.
    await queryRunner.query(
      `CREATE FUNCTION retirement_date(birth date, sex person_gender) RETURNS date
       LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
         SELECT (make_date(t.m / 12, t.m % 12 + 1, 1) + interval '1 month')::date - 1
           FROM (SELECT extract(year FROM birth)::int * 12 + extract(month FROM birth)::int - 1
                        + r.age_months AS m
                   FROM retirement_age_roadmap r
                  WHERE r.gender = sex AND r.born_from <= birth
                  ORDER BY r.born_from DESC
                  LIMIT 1) t
       $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION retirement_date(date, person_gender)`);
    await queryRunner.query(
      `DROP TRIGGER tr_retirement_roadmap_changed ON "retirement_age_roadmap"`,
    );
    await queryRunner.query(`DROP FUNCTION retirement_roadmap_changed()`);
    await queryRunner.query(`DROP TABLE "retirement_age_roadmap"`);
  }
}

/** (gender, first birth month, age in months), as Decree 135/2020 tabulates them. */
const ROWS: [string, string, number][] = [
  ['female', '1900-01-01', 660],
  ['female', '1966-01-01', 664],
  ['female', '1966-09-01', 668],
  ['female', '1967-05-01', 672],
  ['female', '1968-01-01', 676],
  ['female', '1968-09-01', 680],
  ['female', '1969-05-01', 684],
  ['female', '1970-01-01', 688],
  ['female', '1970-09-01', 692],
  ['female', '1971-05-01', 696],
  ['female', '1972-01-01', 700],
  ['female', '1972-09-01', 704],
  ['female', '1973-05-01', 708],
  ['female', '1974-01-01', 712],
  ['female', '1974-09-01', 716],
  ['female', '1975-05-01', 720],
  ['male', '1900-01-01', 720],
  ['male', '1961-01-01', 723],
  ['male', '1961-10-01', 726],
  ['male', '1962-07-01', 729],
  ['male', '1963-04-01', 732],
  ['male', '1964-01-01', 735],
  ['male', '1964-10-01', 738],
  ['male', '1965-07-01', 741],
  ['male', '1966-04-01', 744],
];
