/**
 * Item statistics of an assessment (issue 16): per question version, over submitted attempts,
 * how many attempted it, its facility (how much of it learners earned), its discrimination (how
 * well it separates learners who do well on the rest of the test from those who do not), how
 * often each option was chosen, the average time spent, and flags for the questions a training
 * officer should look at.
 *
 * The figures are classical test theory. They are accumulated one response at a time, so a report
 * over thousands of attempts streams its rows instead of holding them: each row carries its
 * attempt's total, and per item only running sums are kept (plus option counts).
 *
 * The same facility and discrimination are computed in SQL by item-statistics-sql.ts.
 */

/**
 * Flag thresholds. They follow common classical test theory practice for classroom and
 * certification tests: Ebel's guidelines for discrimination indices (below 0.2: poor, revise or
 * drop; written for the upper–lower index and commonly applied to the point-biserial as well),
 * and 0.2 … 0.9 as the facility band item-analysis guides often accept (some use a narrower one):
 * - facility above 0.9: nearly everyone earns it, the item tells learners apart little;
 * - facility below 0.2: nearly no one earns it — too hard, or wrongly keyed;
 * - discrimination below 0: learners who do well on the rest of the test do worse on this item,
 *   usually a wrong key or an ambiguous stem or distractor;
 * - discrimination below 0.2: the item separates learners poorly and should be revised.
 * A value exactly on a threshold is not flagged.
 */
export const TOO_EASY_FACILITY = 0.9;
export const TOO_HARD_FACILITY = 0.2;
export const NEGATIVE_DISCRIMINATION = 0;
export const LOW_DISCRIMINATION = 0.2;

/**
 * An item is flagged only once at least this many attempts answered to it. Ten is the size of a
 * small class here; below it one learner moves the facility by more than 0.1. Even at ten the
 * standard error of a correlation is about 1/√n ≈ 0.3, so a discrimination flag on a small class
 * says "look at this item", not "this item is bad".
 */
export const MIN_ATTEMPTS_FOR_FLAGS = 10;

/** How many decimals facility, correct share and discrimination are given with. */
export const STAT_DECIMALS = 4;
/** How many decimals the average time in seconds is given with. */
export const SECONDS_DECIMALS = 1;

export type ItemFlag = 'too_easy' | 'too_hard' | 'negative_discrimination' | 'low_discrimination';

/** One learner's response to one question version in one submitted attempt. */
export interface ItemResponseRow {
  questionVersionId: string;
  attemptId: string;
  /** Points earned on this item (partial credit allowed), 0 … maxPoints. */
  points: number;
  /** The item's points in this attempt; above 0. */
  maxPoints: number;
  /** Fully right; null while a person must grade it. */
  correct: boolean | null;
  /**
   * For choice kinds (single, multiple, true_false as 'true'/'false'): the option keys chosen;
   * null or [] when not answered. Null for other kinds.
   */
  chosen: string[] | null;
  /** Time spent on the item, null when not recorded. */
  secondsSpent: number | null;
  /** The attempt's total points, this item included. */
  attemptPoints: number;
  /** The attempt's total possible points. */
  attemptMaxPoints: number;
  /**
   * Whether the learner answered. When absent it is read from `chosen` (a non-empty list), which
   * only choice kinds have: callers reporting other kinds (short answer, numeric, ordering,
   * matching, essay) pass it, or their responses all count as unanswered.
   */
  answered?: boolean;
}

export interface OptionUse {
  /** Responses that chose this option. */
  count: number;
  /** count / attempts: for a single-choice item the shares plus the unanswered share make 1. */
  share: number;
}

export interface ItemStatistics {
  questionVersionId: string;
  /** Responses to the item, unanswered ones included. */
  attempts: number;
  answered: number;
  unanswered: number;
  /** Mean of points / maxPoints, 0 … 1, so partial credit counts. */
  facility: number;
  /** Share of attempts fully right (correct === true). */
  correctShare: number;
  /**
   * Point-biserial correlation (Pearson r, which is the point-biserial when items score 0/1) of
   * the item's score fraction with the rest of the test (attempt points minus this item's);
   * null with fewer than 2 attempts or when either side does not vary.
   */
  discrimination: number | null;
  /** Mean of the recorded times, null when none was recorded. */
  averageSeconds: number | null;
  /** Per option key, in the order of the keys given to result(), then any other chosen keys. */
  optionUse: Record<string, OptionUse>;
  flags: ItemFlag[];
}

/** Half away from zero, as PostgreSQL's round(numeric, n); never -0. */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale;
  return rounded === 0 ? 0 : rounded;
}

/**
 * The flags of an item from its figures (as rounded in its statistics, so that a facility shown
 * as 0.9000 is not flagged too easy). Shared with the SQL path.
 */
export function itemFlags(
  attempts: number,
  facility: number,
  discrimination: number | null,
): ItemFlag[] {
  if (attempts < MIN_ATTEMPTS_FOR_FLAGS) return [];
  const flags: ItemFlag[] = [];
  if (facility > TOO_EASY_FACILITY) flags.push('too_easy');
  if (facility < TOO_HARD_FACILITY) flags.push('too_hard');
  if (discrimination !== null) {
    if (discrimination < NEGATIVE_DISCRIMINATION) flags.push('negative_discrimination');
    else if (discrimination < LOW_DISCRIMINATION) flags.push('low_discrimination');
  }
  return flags;
}

/**
 * Pearson r from the sums of n pairs, by the textbook formula
 * r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)); null when a factor under the root is not
 * above 0. Clamped to −1 … 1 against rounding.
 */
export function pearsonFromSums(s: {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
}): number | null {
  if (s.n < 2) return null;
  const dx = s.n * s.sxx - s.sx * s.sx;
  const dy = s.n * s.syy - s.sy * s.sy;
  if (!(dx > 0) || !(dy > 0)) return null;
  const r = (s.n * s.sxy - s.sx * s.sy) / Math.sqrt(dx * dy);
  return Math.max(-1, Math.min(1, r));
}

/** The running state of one item. */
interface ItemSums {
  n: number;
  answered: number;
  correct: number;
  /** Σ of points / maxPoints, for the facility. */
  fractionSum: number;
  /**
   * The correlation's sums are of x − x0 and y − y0, where (x0, y0) is the item's first pair:
   * r does not change under a shift, and the shift keeps nΣy² − (Σy)² from cancelling away
   * when attempt totals are large next to their spread.
   */
  x0: number;
  y0: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
  /** Whether any x or y differed from the first: exact zero-variance detection. */
  xVaries: boolean;
  yVaries: boolean;
  seconds: number;
  timed: number;
  options: Map<string, number>;
}

function checkRow(row: ItemResponseRow): void {
  const numbers: [string, number][] = [
    ['points', row.points],
    ['maxPoints', row.maxPoints],
    ['attemptPoints', row.attemptPoints],
    ['attemptMaxPoints', row.attemptMaxPoints],
  ];
  for (const [name, value] of numbers) {
    if (!Number.isFinite(value)) {
      throw new RangeError(`item ${row.questionVersionId}: ${name} is not a number (${value})`);
    }
  }
  if (row.maxPoints <= 0) {
    throw new RangeError(`item ${row.questionVersionId}: maxPoints must be above 0`);
  }
  if (row.points < 0 || row.points > row.maxPoints) {
    throw new RangeError(
      `item ${row.questionVersionId}: points ${row.points} outside 0 … ${row.maxPoints}`,
    );
  }
  if (row.secondsSpent !== null && !Number.isFinite(row.secondsSpent)) {
    throw new RangeError(`item ${row.questionVersionId}: secondsSpent is not a number`);
  }
}

/**
 * Accumulates item statistics one response at a time. Each (attempt, item) pair must be fed
 * once; responses a marker has not graded yet should be left out (they would count as 0).
 * Memory is per item, not per attempt.
 */
export class ItemStatsAccumulator {
  private readonly items = new Map<string, ItemSums>();

  add(row: ItemResponseRow): void {
    checkRow(row);
    const x = row.points / row.maxPoints;
    const y = row.attemptPoints - row.points;
    let s = this.items.get(row.questionVersionId);
    if (!s) {
      s = {
        n: 0,
        answered: 0,
        correct: 0,
        fractionSum: 0,
        x0: x,
        y0: y,
        sx: 0,
        sy: 0,
        sxx: 0,
        syy: 0,
        sxy: 0,
        xVaries: false,
        yVaries: false,
        seconds: 0,
        timed: 0,
        options: new Map(),
      };
      this.items.set(row.questionVersionId, s);
    }
    const chosen = row.chosen ?? [];
    const answered = row.answered ?? chosen.length > 0;
    s.n += 1;
    if (answered) s.answered += 1;
    if (row.correct === true) s.correct += 1;
    s.fractionSum += x;
    const dx = x - s.x0;
    const dy = y - s.y0;
    if (dx !== 0) s.xVaries = true;
    if (dy !== 0) s.yVaries = true;
    s.sx += dx;
    s.sy += dy;
    s.sxx += dx * dx;
    s.syy += dy * dy;
    s.sxy += dx * dy;
    if (row.secondsSpent !== null) {
      s.seconds += row.secondsSpent;
      s.timed += 1;
    }
    // A key listed twice in one response is one choice.
    for (const key of new Set(chosen)) s.options.set(key, (s.options.get(key) ?? 0) + 1);
  }

  /**
   * The statistics of every item fed so far, in the order each was first seen. With
   * `optionKeysByItem` (question version id → its option keys), options never chosen show 0.
   */
  result(optionKeysByItem?: Map<string, string[]>): ItemStatistics[] {
    const out: ItemStatistics[] = [];
    for (const [questionVersionId, s] of this.items) {
      const facility = roundTo(s.fractionSum / s.n, STAT_DECIMALS);
      const r =
        s.xVaries && s.yVaries
          ? pearsonFromSums({ n: s.n, sx: s.sx, sy: s.sy, sxx: s.sxx, syy: s.syy, sxy: s.sxy })
          : null;
      const discrimination = r === null ? null : roundTo(r, STAT_DECIMALS);
      const keys = new Set([
        ...(optionKeysByItem?.get(questionVersionId) ?? []),
        ...s.options.keys(),
      ]);
      // fromEntries defines own properties, so even a key named "__proto__" is just a key.
      const optionUse: Record<string, OptionUse> = Object.fromEntries(
        [...keys].map((key) => {
          const count = s.options.get(key) ?? 0;
          return [key, { count, share: roundTo(count / s.n, STAT_DECIMALS) }];
        }),
      );
      out.push({
        questionVersionId,
        attempts: s.n,
        answered: s.answered,
        unanswered: s.n - s.answered,
        facility,
        correctShare: roundTo(s.correct / s.n, STAT_DECIMALS),
        discrimination,
        averageSeconds: s.timed === 0 ? null : roundTo(s.seconds / s.timed, SECONDS_DECIMALS),
        optionUse,
        flags: itemFlags(s.n, facility, discrimination),
      });
    }
    return out;
  }
}

/** The statistics of a set of responses at once (see ItemStatsAccumulator). */
export function itemStatistics(
  rows: Iterable<ItemResponseRow>,
  optionKeysByItem?: Map<string, string[]>,
): ItemStatistics[] {
  const acc = new ItemStatsAccumulator();
  for (const row of rows) acc.add(row);
  return acc.result(optionKeysByItem);
}
