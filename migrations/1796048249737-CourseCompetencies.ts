import { MigrationInterface, QueryRunner } from 'typeorm';

export class CourseCompetencies1796048249737 implements MigrationInterface {
  name = 'CourseCompetencies1796048249737';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "course_competencies" ("course_id" uuid NOT NULL, "competency_lineage_id" uuid NOT NULL, "level" smallint NOT NULL, CONSTRAINT "ck_course_competencies_level" CHECK (level BETWEEN 1 AND 10), CONSTRAINT "PK_10c3c0fdbe18d6a40c16fdf9024" PRIMARY KEY ("course_id", "competency_lineage_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_course_competencies_lineage" ON "course_competencies"  ("competency_lineage_id", "level") `,
    );
    await queryRunner.query(
      `ALTER TABLE "course_competencies" ADD CONSTRAINT "FK_4a7b4906813a4d870db21378f87" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "course_competencies" DROP CONSTRAINT "FK_4a7b4906813a4d870db21378f87"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_course_competencies_lineage"`);
    await queryRunner.query(`DROP TABLE "course_competencies"`);
  }
}
