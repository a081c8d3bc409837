import { QueryFailedError } from 'typeorm';
import { isoDateVi } from '../certificates/certificate-format';
import { PostType } from './post-types';
import { EmploymentKind, PostStatus } from './post.types';

/** Today's calendar date in Vietnam (yyyy-MM-dd): what "current" means for posts and terms. */
export function todayVn(now: Date = new Date()): string {
  return isoDateVi(now);
}

/** True when a query failed on the named unique (or exclusion) constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; constraint?: string };
  return (
    (driver?.code === '23505' || driver?.code === '23P01') &&
    (constraint === undefined || driver.constraint === constraint)
  );
}

export interface PostRow {
  id: string;
  org_unit_id: string;
  post_type: PostType;
  title: string;
  employment: EmploymentKind;
  single_holder: boolean;
  key_post: boolean;
  status: PostStatus;
  org_path: string;
}

export const POST_COLUMNS = `p.id, p.org_unit_id, p.post_type, p.title, p.employment,
  p.single_holder, p.key_post, p.status`;
