import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';

/**
 * The rows of one statement read through a server-side cursor (pg-query-stream), `batchSize`
 * rows at a time, so that an export of any size holds only one batch in memory. The
 * connection is taken on the first read and given back when the rows end, fail, or the
 * caller stops early (return() of the iterator, as `for await … break` or a destroyed
 * pipeline does).
 *
 * The connection is held for the whole read: on PGlite, whose pool has one connection, other
 * queries wait until the export is done — acceptable for the embedded database of trials and
 * tests; PostgreSQL serves them from its pool.
 */
export async function* streamQuery<T>(
  dataSource: DataSource,
  sql: string,
  params: unknown[],
  batchSize = 1000,
): AsyncGenerator<T> {
  const runner = dataSource.createQueryRunner('slave');
  try {
    const client = (await runner.connect()) as PoolClient;
    const stream = client.query(new QueryStream(sql, params, { batchSize }));
    try {
      for await (const row of stream) yield row as T;
    } finally {
      if (!stream.destroyed) stream.destroy();
    }
  } finally {
    await runner.release();
  }
}
