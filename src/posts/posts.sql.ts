import { PostType } from './post-types';
import { EmploymentKind, PostStatus } from './post.types';

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
