import type { EntityManager } from 'typeorm';

/** What a purpose-named query runs on: the data source's manager or a transaction's. */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * The column list of a row type, written once beside the type. The argument must name every
 * key of `Row` and nothing else (a missing key fails to compile, an extra one too), so the list
 * cannot drift from the type; test/queries.e2e-spec.ts then checks that the SQL returns exactly
 * these columns.
 */
export function rowColumns<Row>(keys: { readonly [K in keyof Row]-?: true }): readonly string[] {
  return Object.keys(keys);
}
