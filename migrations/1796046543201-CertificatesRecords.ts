import { MigrationInterface, QueryRunner } from 'typeorm';

export class CertificatesRecords1796046543201 implements MigrationInterface {
  name = 'CertificatesRecords1796046543201';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."certificate_status" AS ENUM('valid', 'suspended', 'revoked', 'expired')`,
    );
    await queryRunner.query(
      `CREATE TABLE "certificates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "serial" character varying(20) NOT NULL, "code" character varying(40) NOT NULL, "enrolment_id" uuid NOT NULL, "person_id" uuid NOT NULL, "course_id" uuid NOT NULL, "issuer_org_unit_id" uuid NOT NULL, "status" "public"."certificate_status" NOT NULL DEFAULT 'valid', "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "snapshot" jsonb NOT NULL, "pdf_sha256" character(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_87af1f436e42688acef033da093" UNIQUE ("serial"), CONSTRAINT "UQ_e9e6937f74d9a653f0fc3299132" UNIQUE ("code"), CONSTRAINT "UQ_eae67dad555fdec30762dfcec2e" UNIQUE ("enrolment_id"), CONSTRAINT "PK_e4c7e31e2144300bea7d89eb165" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_certificates_person" ON "certificates"  ("person_id", "issued_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "certificate_pdfs" ("sha256" character(64) NOT NULL, "content" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_172855704d73c0e05b9afc04aed" PRIMARY KEY ("sha256"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "certificate_serial_counters" ("year" integer NOT NULL, "last_value" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_9ad0e8316bd3a659547d7760044" PRIMARY KEY ("year"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "training_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "enrolment_id" uuid NOT NULL, "course_id" uuid NOT NULL, "course_code" character varying(40) NOT NULL, "course_title" character varying(300) NOT NULL, "hours" numeric(7,2) NOT NULL, "score" numeric(4,2) NOT NULL, "grade" character varying(40) NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "certificate_id" uuid, "certificate_serial" character varying(20), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_fb14e8296c7f8610128c91fbb93" UNIQUE ("enrolment_id"), CONSTRAINT "PK_e5be03d302b74d727130886edec" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_training_records_person" ON "training_records"  ("person_id", "completed_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "certificates" ADD CONSTRAINT "FK_9696c8b7dadbc4ecbac152053a7" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificates" ADD CONSTRAINT "FK_d893febadd7db8af7a39a706a45" FOREIGN KEY ("issuer_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "training_records" ADD CONSTRAINT "FK_41ad9d260872722989880407725" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "training_records" DROP CONSTRAINT "FK_41ad9d260872722989880407725"`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificates" DROP CONSTRAINT "FK_d893febadd7db8af7a39a706a45"`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificates" DROP CONSTRAINT "FK_9696c8b7dadbc4ecbac152053a7"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_training_records_person"`);
    await queryRunner.query(`DROP TABLE "training_records"`);
    await queryRunner.query(`DROP TABLE "certificate_serial_counters"`);
    await queryRunner.query(`DROP TABLE "certificate_pdfs"`);
    await queryRunner.query(`DROP INDEX "public"."ix_certificates_person"`);
    await queryRunner.query(`DROP TABLE "certificates"`);
    await queryRunner.query(`DROP TYPE "public"."certificate_status"`);
  }
}
