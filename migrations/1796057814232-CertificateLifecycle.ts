import { MigrationInterface, QueryRunner } from 'typeorm';

export class CertificateLifecycle1796057814232 implements MigrationInterface {
  name = 'CertificateLifecycle1796057814232';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "certificates" ADD "status_changed_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(`ALTER TABLE "certificates" ADD "replaced_by_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "certificates" ADD CONSTRAINT "UQ_6f1c5dff7e43cb60d362b68cce1" UNIQUE ("replaced_by_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificates" DROP CONSTRAINT "UQ_eae67dad555fdec30762dfcec2e"`,
    );
    await queryRunner.query(`ALTER TYPE "public"."certificate_status" ADD VALUE 'replaced'`);
    await queryRunner.query(
      `ALTER TABLE "certificates" ADD CONSTRAINT "FK_6f1c5dff7e43cb60d362b68cce1" FOREIGN KEY ("replaced_by_id") REFERENCES "certificates"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Written by hand after generation: certificates change status, they are never deleted.
    await queryRunner.query(
      `CREATE FUNCTION certificates_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'certificates are never deleted' USING ERRCODE = '42501'; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER tr_certificates_never_deleted BEFORE DELETE OR TRUNCATE ON "certificates"
       FOR EACH STATEMENT EXECUTE FUNCTION certificates_never_deleted()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_certificates_never_deleted ON "certificates"`);
    await queryRunner.query(`DROP FUNCTION certificates_never_deleted()`);
    await queryRunner.query(
      `ALTER TABLE "certificates" DROP CONSTRAINT "FK_6f1c5dff7e43cb60d362b68cce1"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."certificate_status_old" AS ENUM('valid', 'suspended', 'revoked', 'expired')`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificates" ALTER COLUMN "status" TYPE "public"."certificate_status_old" USING "status"::"text"::"public"."certificate_status_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."certificate_status"`);
    await queryRunner.query(
      `ALTER TYPE "public"."certificate_status_old" RENAME TO "certificate_status"`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificates" ADD CONSTRAINT "UQ_eae67dad555fdec30762dfcec2e" UNIQUE ("enrolment_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificates" DROP CONSTRAINT "UQ_6f1c5dff7e43cb60d362b68cce1"`,
    );
    await queryRunner.query(`ALTER TABLE "certificates" DROP COLUMN "replaced_by_id"`);
    await queryRunner.query(`ALTER TABLE "certificates" DROP COLUMN "status_changed_at"`);
  }
}
