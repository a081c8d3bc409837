import { MigrationInterface, QueryRunner } from 'typeorm';

export class CertificateCurrentPerEnrolment1796057822958 implements MigrationInterface {
  name = 'CertificateCurrentPerEnrolment1796057822958';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_certificates_enrolment_current" ON "certificates"  ("enrolment_id") WHERE status <> 'replaced'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ux_certificates_enrolment_current"`);
  }
}
