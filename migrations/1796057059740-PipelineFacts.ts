import { MigrationInterface, QueryRunner } from 'typeorm';

export class PipelineFacts1796057059740 implements MigrationInterface {
  name = 'PipelineFacts1796057059740';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pipeline_post_facts" ("post_id" uuid NOT NULL, "org_unit_id" uuid NOT NULL, "path" character varying(400) COLLATE "C" NOT NULL, "covered" boolean NOT NULL, "vacant" boolean NOT NULL, "term_end" date, "retires_on" date, CONSTRAINT "PK_c3a0529343d68723f9cdae5eabb" PRIMARY KEY ("post_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_pipeline_post_facts_path" ON "pipeline_post_facts"  ("path") `,
    );
    await queryRunner.query(
      `CREATE TABLE "pipeline_nominee_facts" ("post_id" uuid NOT NULL, "person_id" uuid NOT NULL, "path" character varying(400) COLLATE "C" NOT NULL, "solo" boolean NOT NULL DEFAULT true, "best_rank" smallint NOT NULL, "gender" character varying(10), "birth_date" date, "performance" character varying(6) NOT NULL, "full_name" character varying(210) NOT NULL, "sort_key" character varying(210) COLLATE "C" NOT NULL, CONSTRAINT "PK_c78844b769b5311db966a341ef3" PRIMARY KEY ("post_id", "person_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_pipeline_nominee_facts_person" ON "pipeline_nominee_facts"  ("person_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_pipeline_nominee_facts_path" ON "pipeline_nominee_facts"  ("path") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_pipeline_nominee_facts_shared" ON "pipeline_nominee_facts"  ("person_id") WHERE NOT solo`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_pipeline_nominee_facts_box" ON "pipeline_nominee_facts"  ("performance", "best_rank", "sort_key", "person_id") WHERE solo`,
    );
    await queryRunner.query(
      `CREATE TABLE "pipeline_dirty_posts" ("id" BIGSERIAL NOT NULL, "post_id" uuid NOT NULL, CONSTRAINT "PK_3ca0482a4131ac7ac713a94fbb8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "pipeline_facts_state" ("id" smallint NOT NULL, "as_of" date, "rebuilt_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_46a06f54896146fe44282608b70" PRIMARY KEY ("id"))`,
    );
    // Written by hand after generation: the triggers that mark the posts whose facts a change
    // touches, in the writer's own transaction (see src/reports/pipeline-facts.entities.ts).
    for (const sql of PIPELINE_TRIGGERS_UP) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of PIPELINE_TRIGGERS_DOWN) await queryRunner.query(sql);
    await queryRunner.query(`DROP TABLE "pipeline_facts_state"`);
    await queryRunner.query(`DROP TABLE "pipeline_dirty_posts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_pipeline_nominee_facts_box"`);
    await queryRunner.query(`DROP INDEX "public"."ix_pipeline_nominee_facts_shared"`);
    await queryRunner.query(`DROP INDEX "public"."ix_pipeline_nominee_facts_path"`);
    await queryRunner.query(`DROP INDEX "public"."ix_pipeline_nominee_facts_person"`);
    await queryRunner.query(`DROP TABLE "pipeline_nominee_facts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_pipeline_post_facts_path"`);
    await queryRunner.query(`DROP TABLE "pipeline_post_facts"`);
  }
}

/** A row trigger function that marks the posts `select` names (it may read OLD and NEW). */
const markFunction = (name: string, select: string) =>
  `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO pipeline_dirty_posts (post_id) SELECT DISTINCT x.post_id FROM (${select}) x
      WHERE x.post_id IS NOT NULL;
     RETURN NULL;
   END $$`;

/** Key posts of a unit. */
const unitPosts = (unit: string) =>
  `SELECT p.id AS post_id FROM posts p WHERE p.org_unit_id = ${unit} AND p.key_post`;

/** Posts a person holds or is nominated for (any status: the refresh decides what counts). */
const personPosts = (person: string) =>
  `SELECT a.post_id FROM appointments a WHERE a.person_id = ${person}
   UNION SELECT n.post_id FROM nominations n WHERE n.person_id = ${person}`;

/** The row's own post id, before and after (OLD is null on INSERT, NEW on DELETE). */
const ownPost = (column: string) =>
  `SELECT (CASE WHEN TG_OP <> 'INSERT' THEN OLD.${column} END) AS post_id
   UNION SELECT (CASE WHEN TG_OP <> 'DELETE' THEN NEW.${column} END)`;

const TRIGGERS: { table: string; fn: string; select: string; on: string; when?: string }[] = [
  {
    table: 'nominations',
    fn: 'pipeline_mark_nomination',
    select: ownPost('post_id'),
    on: 'INSERT OR UPDATE OR DELETE',
  },
  {
    table: 'appointments',
    fn: 'pipeline_mark_appointment',
    select: ownPost('post_id'),
    on: 'INSERT OR UPDATE OR DELETE',
  },
  {
    table: 'posts',
    fn: 'pipeline_mark_post',
    select: ownPost('id'),
    on: 'INSERT OR UPDATE OR DELETE',
  },
  {
    table: 'terms',
    fn: 'pipeline_mark_term',
    select: `${unitPosts("(CASE WHEN TG_OP <> 'INSERT' THEN OLD.org_unit_id END)")}
             UNION ${unitPosts("(CASE WHEN TG_OP <> 'DELETE' THEN NEW.org_unit_id END)")}`,
    on: 'INSERT OR UPDATE OR DELETE',
  },
  {
    table: 'planning_cycles',
    fn: 'pipeline_mark_cycle',
    select: 'SELECT n.post_id FROM nominations n WHERE n.cycle_id = NEW.id',
    on: 'UPDATE',
    when: 'OLD.status IS DISTINCT FROM NEW.status',
  },
  {
    table: 'people',
    fn: 'pipeline_mark_person',
    select: personPosts('NEW.id'),
    on: 'UPDATE',
    when: `OLD.gender IS DISTINCT FROM NEW.gender OR OLD.birth_date IS DISTINCT FROM NEW.birth_date
           OR OLD.full_name IS DISTINCT FROM NEW.full_name OR OLD.sort_key IS DISTINCT FROM NEW.sort_key`,
  },
  {
    table: 'evaluations',
    fn: 'pipeline_mark_evaluation',
    select: `SELECT n.post_id FROM nominations n
              WHERE n.person_id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.person_id END,
                                    CASE WHEN TG_OP <> 'DELETE' THEN NEW.person_id END)`,
    on: 'INSERT OR UPDATE OR DELETE',
  },
  {
    table: 'org_units',
    fn: 'pipeline_mark_unit',
    select: unitPosts('NEW.id'),
    on: 'UPDATE',
    when: 'OLD.path IS DISTINCT FROM NEW.path OR OLD.status IS DISTINCT FROM NEW.status',
  },
];

const PIPELINE_TRIGGERS_UP: string[] = [
  `INSERT INTO pipeline_facts_state (id, as_of) VALUES (1, NULL)`,
  ...TRIGGERS.flatMap((t) => [
    markFunction(t.fn, t.select),
    `CREATE TRIGGER tr_${t.fn} AFTER ${t.on} ON "${t.table}" FOR EACH ROW
     ${t.when ? `WHEN (${t.when})` : ''} EXECUTE FUNCTION ${t.fn}()`,
  ]),
];

const PIPELINE_TRIGGERS_DOWN: string[] = TRIGGERS.flatMap((t) => [
  `DROP TRIGGER tr_${t.fn} ON "${t.table}"`,
  `DROP FUNCTION ${t.fn}()`,
]);
