import type { DataSource } from 'typeorm';
import { isEmbedded } from './schema';

/** What a tick logs when another replica holds the task's lock. */
export interface LockedElsewhere {
  skipped: 'locked';
  lock: string;
}

/**
 * Runs `task` only if this process takes the session advisory lock named `name` at once
 * (pg_try_advisory_lock on a connection of its own, released after the task), so that of several
 * replicas one runs a scan at a time and the others skip that tick. The task itself uses the
 * pool. On the embedded database there is one process and one connection: the task just runs.
 */
export function exclusively(
  dataSource: DataSource,
  name: string,
): (task: () => Promise<unknown>) => Promise<unknown> {
  return async (task) => {
    if (isEmbedded(dataSource)) return task();
    const session = dataSource.createQueryRunner();
    try {
      await session.connect();
      const [row] = (await session.query(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok`,
        [name],
      )) as { ok: boolean }[];
      if (!row?.ok) return { skipped: 'locked', lock: name } satisfies LockedElsewhere;
      try {
        return await task();
      } finally {
        await session.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [name]);
      }
    } finally {
      await session.release();
    }
  };
}
