import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

const names = new Map<string, string>();

/** The statement's name: from its text, so one name never stands for two texts. */
function nameOf(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `p_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * Runs one of the hot statements of the app (an exam's autosave, start and submit, the load of
 * an actor) as a named prepared statement: each pooled connection parses and plans it once,
 * then runs it. Planning is most of the database's work on these statements — measured with
 * pg_stat_statements in an exam of 2,000 takers: 0.24 ms of planning for 0.18 ms of execution
 * per autosave, and 3.9 ms per start for the programme-order gate's joins.
 *
 * Only for a fixed text (a constant, or a template of constants): each text is kept prepared on
 * every connection for the connection's life. Through the transaction of `em` when it has one,
 * else on a connection of the pool. Answers the rows, typed as `em.query<T>` types them (a data-modifying statement must return
 * its rows through RETURNING or a CTE), and fails as `em.query` would, with a QueryFailedError
 * that the error filter turns into the usual answer.
 */
export async function prepared<T extends object[] = Record<string, unknown>[]>(
  db: EntityManager | DataSource,
  sql: string,
  params: unknown[],
): Promise<T> {
  const runner = db instanceof DataSource ? undefined : db.queryRunner;
  const target: Pool | PoolClient = runner
    ? ((await runner.connect()) as PoolClient)
    : ((db instanceof DataSource ? db : db.dataSource).driver as unknown as { master: Pool })
        .master;
  try {
    const result = await target.query({ name: nameOf(sql), text: sql, values: params });
    return result.rows as T;
  } catch (error) {
    // A pool that could not lend a connection fails with a plain Error, as TypeORM's own would.
    if (!(error instanceof Error) || !('code' in error)) throw error;
    throw new QueryFailedError(sql, params, error);
  }
}
