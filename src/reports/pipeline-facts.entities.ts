import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The pipeline view's precomputed facts: what the national summary reads instead of joining
 * posts, appointments, terms, people, nominations, cycles and evaluations on every request.
 *
 * The facts hold "as of" one day (pipeline_facts_state.as_of, the day in Vietnam). Triggers on
 * every source table (see the PipelineFacts migration) append the ids of the posts a change
 * touches to pipeline_dirty_posts, in the writer's own transaction; PipelineFactsService
 * recomputes those posts before a report is read, and rebuilds everything when the day changes
 * (current holders and terms are a matter of date). Nothing here is a record: the tables can be
 * emptied at any time and are rebuilt from the sources.
 */
@Entity('pipeline_post_facts')
@Index('ix_pipeline_post_facts_path', ['path'])
export class PipelinePostFactEntity {
  /** A key post that is active. */
  @PrimaryColumn({ name: 'post_id', type: 'uuid' })
  postId: string;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId: string;

  /** The post's unit path, C collation like org_units.path, for the subtree prefix test. */
  @Column({ type: 'varchar', length: 400, collation: 'C' })
  path: string;

  /** At least one live ready-now nominee. */
  @Column({ type: 'boolean' })
  covered: boolean;

  /** Nobody holds the post on the as-of day. */
  @Column({ type: 'boolean' })
  vacant: boolean;

  /** The earliest end of the unit's terms current on the as-of day. */
  @Column({ name: 'term_end', type: 'date', nullable: true })
  termEnd: string | null;

  /** The earliest retirement date of the post's current holders (those with one). */
  @Column({ name: 'retires_on', type: 'date', nullable: true })
  retiresOn: string | null;
}

/** One row per (key post, live nominee): the nominee's best readiness for the post and the
 *  person's facts the summary and the nine-box count by. */
@Entity('pipeline_nominee_facts')
@Index('ix_pipeline_nominee_facts_path', ['path'])
@Index('ix_pipeline_nominee_facts_person', ['personId'])
@Index('ix_pipeline_nominee_facts_shared', ['personId'], { where: 'NOT solo' })
@Index('ix_pipeline_nominee_facts_box', ['performance', 'bestRank', 'sortKey', 'personId'], {
  where: 'solo',
})
export class PipelineNomineeFactEntity {
  @PrimaryColumn({ name: 'post_id', type: 'uuid' })
  postId: string;

  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'varchar', length: 400, collation: 'C' })
  path: string;

  /** The person's only row: no nomination for another key post. The summary counts these
   *  rows as they are and groups by person only the others. */
  @Column({ type: 'boolean', default: true })
  solo: boolean;

  /** Best readiness rank of the person's live nominations for the post (1 = ready now). */
  @Column({ name: 'best_rank', type: 'smallint' })
  bestRank: number;

  /** The person's gender (people.gender, as text). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  gender: string | null;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate: string | null;

  /** Performance band from the latest evaluation (high | medium | low). */
  @Column({ type: 'varchar', length: 6 })
  performance: string;

  @Column({ name: 'full_name', type: 'varchar', length: 210 })
  fullName: string;

  @Column({ name: 'sort_key', type: 'varchar', length: 210, collation: 'C' })
  sortKey: string;
}

/** Posts whose facts a committed change made stale; drained by PipelineFactsService. */
@Entity('pipeline_dirty_posts')
export class PipelineDirtyPostEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;
}

/** One row: the day the facts hold for (null until the first build). */
@Entity('pipeline_facts_state')
export class PipelineFactsStateEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ name: 'as_of', type: 'date', nullable: true })
  asOf: string | null;

  @Column({ name: 'rebuilt_at', type: 'timestamptz', nullable: true })
  rebuiltAt: Date | null;
}
