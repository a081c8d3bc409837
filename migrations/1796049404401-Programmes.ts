import { MigrationInterface, QueryRunner } from 'typeorm';

export class Programmes1796049404401 implements MigrationInterface {
  name = 'Programmes1796049404401';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."programme_due_rule" AS ENUM('days_after_assignment', 'fixed_date')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."programme_status" AS ENUM('draft', 'published', 'archived')`,
    );
    await queryRunner.query(`CREATE TABLE "programmes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) COLLATE "C" NOT NULL, "title" character varying(300) NOT NULL, "description" text, "owner_org_unit_id" uuid NOT NULL, "due_rule_kind" "public"."programme_due_rule" NOT NULL, "due_days" integer, "due_date" date, "recert_validity_months" integer, "recert_window_days" integer, "recert_programme_id" uuid, "status" "public"."programme_status" NOT NULL DEFAULT 'draft', "published_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_716cd216ca31adaa70e65bb1899" UNIQUE ("code"), CONSTRAINT "ck_programmes_recert" CHECK ((recert_validity_months IS NULL OR recert_validity_months > 0)
   AND (recert_window_days IS NULL OR (recert_window_days >= 0 AND recert_validity_months IS NOT NULL))), CONSTRAINT "ck_programmes_due_rule" CHECK ((due_rule_kind = 'days_after_assignment' AND due_days IS NOT NULL AND due_days > 0)
  OR (due_rule_kind = 'fixed_date' AND due_date IS NOT NULL)), CONSTRAINT "PK_116b5f8dbb9f632d76bc144404f" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_programmes_owner" ON "programmes"  ("owner_org_unit_id", "code") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."programme_set_rule" AS ENUM('all_in_order', 'any_order', 'at_least_n')`,
    );
    await queryRunner.query(
      `CREATE TABLE "programme_course_sets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "programme_id" uuid NOT NULL, "position" integer NOT NULL, "rule" "public"."programme_set_rule" NOT NULL, "min_count" integer, CONSTRAINT "uq_programme_course_sets_position" UNIQUE ("programme_id", "position"), CONSTRAINT "ck_programme_course_sets_min" CHECK ((rule = 'at_least_n') = (min_count IS NOT NULL) AND (min_count IS NULL OR min_count >= 1)), CONSTRAINT "PK_d7bf6d11c4e59d5fc2956b232f8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "programme_set_courses" ("set_id" uuid NOT NULL, "course_id" uuid NOT NULL, "position" integer NOT NULL, CONSTRAINT "uq_programme_set_courses_position" UNIQUE ("set_id", "position"), CONSTRAINT "PK_dc11443eb66fa56d3f652f16e18" PRIMARY KEY ("set_id", "course_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_programme_set_courses_course" ON "programme_set_courses"  ("course_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."assignment_due_rule" AS ENUM('days_after_assignment', 'fixed_date')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."assignment_status" AS ENUM('pending', 'running', 'completed', 'failed', 'rolled_back')`,
    );
    await queryRunner.query(`CREATE TABLE "programme_assignments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "programme_id" uuid NOT NULL, "org_unit_id" uuid NOT NULL, "audience" jsonb NOT NULL, "due_rule_kind" "public"."assignment_due_rule" NOT NULL, "due_days" integer, "due_date" date, "status" "public"."assignment_status" NOT NULL DEFAULT 'pending', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_run_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_programme_assignments_due_rule" CHECK ((due_rule_kind = 'days_after_assignment' AND due_days IS NOT NULL AND due_days > 0)
  OR (due_rule_kind = 'fixed_date' AND due_date IS NOT NULL)), CONSTRAINT "PK_1826f0168adf137a16ca157fdcf" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_programme_assignments_unit" ON "programme_assignments"  ("org_unit_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_programme_assignments_programme" ON "programme_assignments"  ("programme_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "assignment_members" ("assignment_id" uuid NOT NULL, "person_id" uuid NOT NULL, "cycle" integer NOT NULL DEFAULT '1', "org_path" character varying(400) COLLATE "C" NOT NULL, "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "due_on" date NOT NULL, "targeted" boolean NOT NULL DEFAULT true, "untargeted_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "expires_on" date, CONSTRAINT "PK_ed1e477ccf6d6b4c20408a15d04" PRIMARY KEY ("assignment_id", "person_id", "cycle"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignment_members_path" ON "assignment_members"  ("assignment_id", "org_path") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignment_members_person" ON "assignment_members"  ("person_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."assignment_job_status" AS ENUM('queued', 'running', 'done', 'failed', 'rolled_back')`,
    );
    await queryRunner.query(
      `CREATE TABLE "assignment_jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "assignment_id" uuid NOT NULL, "status" "public"."assignment_job_status" NOT NULL DEFAULT 'queued', "total" integer, "processed" integer NOT NULL DEFAULT '0', "attempts" integer NOT NULL DEFAULT '0', "error" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "heartbeat_at" TIMESTAMP WITH TIME ZONE, "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f7ac2a83d789bbbaf1b6205f361" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignment_jobs_assignment" ON "assignment_jobs"  ("assignment_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignment_jobs_status" ON "assignment_jobs"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "programmes" ADD CONSTRAINT "FK_7e7835c3d3184da773f02585ac8" FOREIGN KEY ("owner_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "programmes" ADD CONSTRAINT "FK_b80071ee6aafc086a64cb7c178b" FOREIGN KEY ("recert_programme_id") REFERENCES "programmes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_course_sets" ADD CONSTRAINT "FK_9310c54a90438d051657c8dc97d" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_set_courses" ADD CONSTRAINT "FK_b1dee19c5654c8d56f7c97dd2a6" FOREIGN KEY ("set_id") REFERENCES "programme_course_sets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_set_courses" ADD CONSTRAINT "FK_b87ac49891b3bb367a1bfdfbc0c" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_assignments" ADD CONSTRAINT "FK_f9f7f44212565da2c1f8caca460" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_assignments" ADD CONSTRAINT "FK_61ce2b44dbf24109c0bca5f88d6" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_members" ADD CONSTRAINT "FK_58f03ebcf7c02a3008f479a5a90" FOREIGN KEY ("assignment_id") REFERENCES "programme_assignments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_members" ADD CONSTRAINT "FK_b5e2b7e1e433810196538a7d811" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_jobs" ADD CONSTRAINT "FK_8b87bc1ad6a3258bc00fed72532" FOREIGN KEY ("assignment_id") REFERENCES "programme_assignments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "assignment_jobs" DROP CONSTRAINT "FK_8b87bc1ad6a3258bc00fed72532"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_members" DROP CONSTRAINT "FK_b5e2b7e1e433810196538a7d811"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_members" DROP CONSTRAINT "FK_58f03ebcf7c02a3008f479a5a90"`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_assignments" DROP CONSTRAINT "FK_61ce2b44dbf24109c0bca5f88d6"`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_assignments" DROP CONSTRAINT "FK_f9f7f44212565da2c1f8caca460"`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_set_courses" DROP CONSTRAINT "FK_b87ac49891b3bb367a1bfdfbc0c"`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_set_courses" DROP CONSTRAINT "FK_b1dee19c5654c8d56f7c97dd2a6"`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_course_sets" DROP CONSTRAINT "FK_9310c54a90438d051657c8dc97d"`,
    );
    await queryRunner.query(
      `ALTER TABLE "programmes" DROP CONSTRAINT "FK_b80071ee6aafc086a64cb7c178b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "programmes" DROP CONSTRAINT "FK_7e7835c3d3184da773f02585ac8"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_assignment_jobs_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignment_jobs_assignment"`);
    await queryRunner.query(`DROP TABLE "assignment_jobs"`);
    await queryRunner.query(`DROP TYPE "public"."assignment_job_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignment_members_person"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignment_members_path"`);
    await queryRunner.query(`DROP TABLE "assignment_members"`);
    await queryRunner.query(`DROP INDEX "public"."ix_programme_assignments_programme"`);
    await queryRunner.query(`DROP INDEX "public"."ix_programme_assignments_unit"`);
    await queryRunner.query(`DROP TABLE "programme_assignments"`);
    await queryRunner.query(`DROP TYPE "public"."assignment_status"`);
    await queryRunner.query(`DROP TYPE "public"."assignment_due_rule"`);
    await queryRunner.query(`DROP INDEX "public"."ix_programme_set_courses_course"`);
    await queryRunner.query(`DROP TABLE "programme_set_courses"`);
    await queryRunner.query(`DROP TABLE "programme_course_sets"`);
    await queryRunner.query(`DROP TYPE "public"."programme_set_rule"`);
    await queryRunner.query(`DROP INDEX "public"."ix_programmes_owner"`);
    await queryRunner.query(`DROP TABLE "programmes"`);
    await queryRunner.query(`DROP TYPE "public"."programme_status"`);
    await queryRunner.query(`DROP TYPE "public"."programme_due_rule"`);
  }
}
