import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, item 2: the appointments and accounts kinds of the bulk import stage the values only
 * they have (the term's name, the appointment method, the role) and, once resolved, the person,
 * post and term a row names, beside the columns the other kinds already use.
 * imports.account_scope_paths: where the importer administers accounts when the file was sent
 * (accounts:manage; empty for HR), kept like scope_paths so a resumed job applies the same.
 */
export class ImportAppointmentsAccounts1796500300000 implements MigrationInterface {
  name = 'ImportAppointmentsAccounts1796500300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "import_rows"
         ADD "term_name" character varying(120),
         ADD "method" character varying(20),
         ADD "role" character varying(20),
         ADD "person_id" uuid,
         ADD "post_id" uuid,
         ADD "term_id" uuid`,
    );
    await queryRunner.query(
      `ALTER TABLE "imports" ADD "account_scope_paths" text[] NOT NULL DEFAULT '{}'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "imports" DROP COLUMN "account_scope_paths"`);
    await queryRunner.query(
      `ALTER TABLE "import_rows"
         DROP COLUMN "term_id", DROP COLUMN "post_id", DROP COLUMN "person_id",
         DROP COLUMN "role", DROP COLUMN "method", DROP COLUMN "term_name"`,
    );
  }
}
