import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Question banks (issue 16, item 1): a bank is owned by an org unit and shared down its subtree
 * like a course; its questions sit in categories, carry tags, a difficulty 1–3 and optionally a
 * competency (by lineage, so the tag holds across framework versions). A question's content is
 * versioned: an edit adds a version and never changes one an attempt may have shown, so
 * versions are never updated or deleted (no ON DELETE CASCADE anywhere below).
 */
export class QuestionBanks1796500400000 implements MigrationInterface {
  name = 'QuestionBanks1796500400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."question_bank_status" AS ENUM('active', 'archived')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."bank_question_kind" AS ENUM('single', 'multiple', 'true_false', 'short_answer', 'numeric', 'ordering', 'matching', 'essay')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."bank_question_status" AS ENUM('active', 'retired')`,
    );
    await queryRunner.query(
      `CREATE TABLE "question_banks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "owner_org_unit_id" uuid NOT NULL,
        "name" character varying(300) NOT NULL,
        "description" character varying(2000),
        "status" "public"."question_bank_status" NOT NULL DEFAULT 'active',
        "created_by_user_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_question_banks" PRIMARY KEY ("id"),
        CONSTRAINT "fk_question_banks_owner" FOREIGN KEY ("owner_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_question_banks_owner" ON "question_banks" ("owner_org_unit_id", "name", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_question_banks_name" ON "question_banks" ("name", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "question_categories" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "bank_id" uuid NOT NULL,
        "name" character varying(200) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_question_categories" PRIMARY KEY ("id"),
        CONSTRAINT "uq_question_categories_name" UNIQUE ("bank_id", "name"),
        CONSTRAINT "fk_question_categories_bank" FOREIGN KEY ("bank_id") REFERENCES "question_banks"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE "bank_questions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "bank_id" uuid NOT NULL,
        "category_id" uuid,
        "kind" "public"."bank_question_kind" NOT NULL,
        "difficulty" smallint NOT NULL DEFAULT 2,
        "tags" text[] NOT NULL DEFAULT '{}',
        "competency_lineage_id" uuid,
        "status" "public"."bank_question_status" NOT NULL DEFAULT 'active',
        "current_version" integer NOT NULL DEFAULT 1,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_bank_questions" PRIMARY KEY ("id"),
        CONSTRAINT "ck_bank_questions_difficulty" CHECK (difficulty BETWEEN 1 AND 3),
        CONSTRAINT "ck_bank_questions_version" CHECK (current_version >= 1),
        CONSTRAINT "fk_bank_questions_bank" FOREIGN KEY ("bank_id") REFERENCES "question_banks"("id") ON DELETE RESTRICT,
        CONSTRAINT "fk_bank_questions_category" FOREIGN KEY ("category_id") REFERENCES "question_categories"("id") ON DELETE RESTRICT
      )`,
    );
    // The bank's list (newest first) and the random draw's filters (category, difficulty, tag).
    await queryRunner.query(
      `CREATE INDEX "ix_bank_questions_list" ON "bank_questions" ("bank_id", "created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_bank_questions_draw" ON "bank_questions" ("bank_id", "category_id", "difficulty") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_bank_questions_tags" ON "bank_questions" USING gin ("tags")`,
    );
    await queryRunner.query(
      `CREATE TABLE "bank_question_versions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "question_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "prompt" text NOT NULL,
        "points" integer NOT NULL,
        "body" jsonb NOT NULL,
        "created_by_user_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_bank_question_versions" PRIMARY KEY ("id"),
        CONSTRAINT "uq_bank_question_versions" UNIQUE ("question_id", "version"),
        CONSTRAINT "ck_bank_question_versions_points" CHECK (points BETWEEN 1 AND 1000),
        CONSTRAINT "fk_bank_question_versions_question" FOREIGN KEY ("question_id") REFERENCES "bank_questions"("id") ON DELETE RESTRICT
      )`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "bank_question_versions"`);
    await queryRunner.query(`DROP TABLE "bank_questions"`);
    await queryRunner.query(`DROP TABLE "question_categories"`);
    await queryRunner.query(`DROP TABLE "question_banks"`);
    await queryRunner.query(`DROP TYPE "public"."bank_question_status"`);
    await queryRunner.query(`DROP TYPE "public"."bank_question_kind"`);
    await queryRunner.query(`DROP TYPE "public"."question_bank_status"`);
  }
}
