import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices of changes to who a signed-in person is (their actor: account, session, grants, home
 * unit, the tree's paths), sent on the channel `actor_changed` when the change commits, so that
 * every replica forgets the cached actors it affects at once — whether the change came through
 * the API of another replica or straight from SQL (src/auth/actor-changes.ts). A notice names a
 * session, a user, a person, or `all` (the tree moved: every grant's path may have changed).
 * PostgreSQL folds identical notices of one transaction into one.
 */
export class ActorChangeNotices1796500900000 implements MigrationInterface {
  name = 'ActorChangeNotices1796500900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION actor_change_notice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('actor_changed', 'all');
        ELSIF TG_TABLE_NAME = 'auth_sessions' THEN
          PERFORM pg_notify('actor_changed', 'session:' || OLD.id);
        ELSIF TG_TABLE_NAME = 'user_accounts' THEN
          PERFORM pg_notify('actor_changed', 'user:' || OLD.id);
        ELSIF TG_TABLE_NAME = 'people' THEN
          PERFORM pg_notify('actor_changed', 'person:' || OLD.id);
        ELSIF TG_TABLE_NAME = 'role_grants' THEN
          IF TG_OP <> 'INSERT' THEN
            PERFORM pg_notify('actor_changed', 'user:' || OLD.user_id);
          END IF;
          IF TG_OP <> 'DELETE' THEN
            PERFORM pg_notify('actor_changed', 'user:' || NEW.user_id);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER auth_sessions_actor_change AFTER UPDATE ON auth_sessions FOR EACH ROW
        WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.user_id IS DISTINCT FROM NEW.user_id)
        EXECUTE FUNCTION actor_change_notice()`);
    await queryRunner.query(`
      CREATE TRIGGER auth_sessions_actor_delete AFTER DELETE ON auth_sessions FOR EACH ROW
        EXECUTE FUNCTION actor_change_notice()`);
    await queryRunner.query(`
      CREATE TRIGGER user_accounts_actor_change AFTER UPDATE ON user_accounts FOR EACH ROW
        WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.email IS DISTINCT FROM NEW.email
              OR OLD.person_id IS DISTINCT FROM NEW.person_id)
        EXECUTE FUNCTION actor_change_notice()`);
    await queryRunner.query(`
      CREATE TRIGGER user_accounts_actor_delete AFTER DELETE ON user_accounts FOR EACH ROW
        EXECUTE FUNCTION actor_change_notice()`);
    await queryRunner.query(`
      CREATE TRIGGER role_grants_actor_change AFTER INSERT OR UPDATE OR DELETE ON role_grants
        FOR EACH ROW EXECUTE FUNCTION actor_change_notice()`);
    await queryRunner.query(`
      CREATE TRIGGER people_actor_change AFTER UPDATE ON people FOR EACH ROW
        WHEN (OLD.home_org_unit_id IS DISTINCT FROM NEW.home_org_unit_id)
        EXECUTE FUNCTION actor_change_notice()`);
    await queryRunner.query(`
      CREATE TRIGGER org_units_actor_change AFTER UPDATE OF path, parent_id OR DELETE ON org_units
        FOR EACH STATEMENT EXECUTE FUNCTION actor_change_notice()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['org_units_actor_change', 'org_units'],
      ['people_actor_change', 'people'],
      ['role_grants_actor_change', 'role_grants'],
      ['user_accounts_actor_delete', 'user_accounts'],
      ['user_accounts_actor_change', 'user_accounts'],
      ['auth_sessions_actor_delete', 'auth_sessions'],
      ['auth_sessions_actor_change', 'auth_sessions'],
    ]) {
      await queryRunner.query(`DROP TRIGGER ${trigger} ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION actor_change_notice()`);
  }
}
