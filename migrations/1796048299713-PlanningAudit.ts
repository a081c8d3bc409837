import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlanningAudit1796048299713 implements MigrationInterface {
  name = 'PlanningAudit1796048299713';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_user_id" uuid, "actor_person_id" uuid, "action" character varying(80) NOT NULL, "entity_type" character varying(60) NOT NULL, "entity_id" uuid NOT NULL, "org_unit_id" uuid, "org_path" character varying(400) COLLATE "C", "before" jsonb, "after" jsonb, "request_id" character varying(100), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_log_at" ON "audit_log"  ("at", "id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_audit_log_path" ON "audit_log"  ("org_path", "at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_log_entity" ON "audit_log"  ("entity_type", "entity_id", "at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."planning_cycle_status" AS ENUM('draft', 'open', 'submitted', 'approved', 'closed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "planning_cycles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_unit_id" uuid NOT NULL, "term_label" character varying(40) NOT NULL, "term_start" date NOT NULL, "term_end" date NOT NULL, "status" "public"."planning_cycle_status" NOT NULL DEFAULT 'draft', "rules" jsonb NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_planning_cycles_term" CHECK (term_end > term_start), CONSTRAINT "PK_89589c5b4e5488efcb129f1ab2a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_planning_cycles_unit" ON "planning_cycles"  ("org_unit_id", "term_start", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "planning_cycle_posts" ("cycle_id" uuid NOT NULL, "post_id" uuid NOT NULL, CONSTRAINT "PK_9a646339301f6cb702006ac5575" PRIMARY KEY ("cycle_id", "post_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_planning_cycle_posts_post" ON "planning_cycle_posts"  ("post_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."nomination_readiness" AS ENUM('ready_now', 'ready_1_2_years', 'ready_3_plus_years')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."nomination_status" AS ENUM('proposed', 'approved', 'removed')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."nomination_removal_reason" AS ENUM('over_age', 'discipline', 'not_completed_evaluation', 'moved', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "nominations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cycle_id" uuid NOT NULL, "post_id" uuid NOT NULL, "person_id" uuid NOT NULL, "readiness" "public"."nomination_readiness" NOT NULL, "status" "public"."nomination_status" NOT NULL DEFAULT 'proposed', "removal_reason" "public"."nomination_removal_reason", "removal_note" character varying(1000), "proposed_by" uuid, "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "removed_by" uuid, "removed_at" TIMESTAMP WITH TIME ZONE, "first_time" boolean NOT NULL, "readiness_override_reason" character varying(1000), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_nominations_removal" CHECK ((status = 'removed') = (removal_reason IS NOT NULL) AND (status <> 'approved' OR approved_at IS NOT NULL)), CONSTRAINT "PK_94d2a23f18ea8e3b22d1ec6e972" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_nominations_person" ON "nominations"  ("person_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_nominations_cycle_post" ON "nominations"  ("cycle_id", "post_id", "status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_nominations_active" ON "nominations"  ("cycle_id", "post_id", "person_id") WHERE status <> 'removed'`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."nomination_review_decision" AS ENUM('kept', 'removed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "nomination_reviews" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "nomination_id" uuid NOT NULL, "cycle_id" uuid NOT NULL, "review_year" integer NOT NULL, "readiness_before" character varying(20) NOT NULL, "readiness_after" character varying(20), "decision" "public"."nomination_review_decision", "flags" jsonb NOT NULL, "note" character varying(1000), "reviewer" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_nomination_reviews_year" UNIQUE ("nomination_id", "review_year"), CONSTRAINT "ck_nomination_reviews_readiness" CHECK (readiness_before IN ('ready_now', 'ready_1_2_years', 'ready_3_plus_years') AND (readiness_after IS NULL OR readiness_after IN ('ready_now', 'ready_1_2_years', 'ready_3_plus_years'))), CONSTRAINT "ck_nomination_reviews_decided" CHECK ((decision IS NULL) = (decided_at IS NULL)), CONSTRAINT "PK_141aba4713f7cd9ccbc178aa0f4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_nomination_reviews_cycle" ON "nomination_reviews"  ("cycle_id", "review_year", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_cycles" ADD CONSTRAINT "FK_9977fd5c692934da9c3ddb89bf2" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_cycle_posts" ADD CONSTRAINT "FK_75218bcd0794ac0c7eab9cb18b2" FOREIGN KEY ("cycle_id") REFERENCES "planning_cycles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_cycle_posts" ADD CONSTRAINT "FK_907b6e89337b16b9d466685febc" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "nominations" ADD CONSTRAINT "FK_2335254f304602b0dedd84070cc" FOREIGN KEY ("cycle_id", "post_id") REFERENCES "planning_cycle_posts"("cycle_id","post_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "nominations" ADD CONSTRAINT "FK_f52e31bccbe3237aaa77f65aae4" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "nomination_reviews" ADD CONSTRAINT "FK_269bc6ab616bb48e0cc20bf2bee" FOREIGN KEY ("nomination_id") REFERENCES "nominations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "nomination_reviews" ADD CONSTRAINT "FK_079bfe7ab684d813a7c05c7e17f" FOREIGN KEY ("cycle_id") REFERENCES "planning_cycles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Written by hand after generation: the audit log is append-only, in the database itself.
    await queryRunner.query(
      `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501'; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER tr_audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log"
       FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_audit_log_append_only ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
    await queryRunner.query(
      `ALTER TABLE "nomination_reviews" DROP CONSTRAINT "FK_079bfe7ab684d813a7c05c7e17f"`,
    );
    await queryRunner.query(
      `ALTER TABLE "nomination_reviews" DROP CONSTRAINT "FK_269bc6ab616bb48e0cc20bf2bee"`,
    );
    await queryRunner.query(
      `ALTER TABLE "nominations" DROP CONSTRAINT "FK_f52e31bccbe3237aaa77f65aae4"`,
    );
    await queryRunner.query(
      `ALTER TABLE "nominations" DROP CONSTRAINT "FK_2335254f304602b0dedd84070cc"`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_cycle_posts" DROP CONSTRAINT "FK_907b6e89337b16b9d466685febc"`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_cycle_posts" DROP CONSTRAINT "FK_75218bcd0794ac0c7eab9cb18b2"`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_cycles" DROP CONSTRAINT "FK_9977fd5c692934da9c3ddb89bf2"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_nomination_reviews_cycle"`);
    await queryRunner.query(`DROP TABLE "nomination_reviews"`);
    await queryRunner.query(`DROP TYPE "public"."nomination_review_decision"`);
    await queryRunner.query(`DROP INDEX "public"."ux_nominations_active"`);
    await queryRunner.query(`DROP INDEX "public"."ix_nominations_cycle_post"`);
    await queryRunner.query(`DROP INDEX "public"."ix_nominations_person"`);
    await queryRunner.query(`DROP TABLE "nominations"`);
    await queryRunner.query(`DROP TYPE "public"."nomination_removal_reason"`);
    await queryRunner.query(`DROP TYPE "public"."nomination_status"`);
    await queryRunner.query(`DROP TYPE "public"."nomination_readiness"`);
    await queryRunner.query(`DROP INDEX "public"."ix_planning_cycle_posts_post"`);
    await queryRunner.query(`DROP TABLE "planning_cycle_posts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_planning_cycles_unit"`);
    await queryRunner.query(`DROP TABLE "planning_cycles"`);
    await queryRunner.query(`DROP TYPE "public"."planning_cycle_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_log_entity"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_log_path"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_log_at"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
