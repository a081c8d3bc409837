import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { Permission } from '../auth/roles';
import { detail, DomainError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { OrgUnitsService } from '../org-units/org-units.service';
import { CreatePostDto, ListPostsQueryDto, PostDto, UpdatePostDto } from './dto/post.dto';
import {
  POST_TYPES,
  KEY_POST_BY_DEFAULT,
  POST_TYPE_LABELS,
  SINGLE_HOLDER_BY_DEFAULT,
} from './post-types';
import { POST_COLUMNS, PostRow } from './posts.sql';
import { isUniqueViolation } from '../common/sql/unique-violation';
import { Clock } from '../common/clock/clock';

export function toPostDto(r: PostRow): PostDto {
  return {
    id: r.id,
    orgUnitId: r.org_unit_id,
    postType: r.post_type,
    title: r.title,
    employment: r.employment,
    singleHolder: r.single_holder,
    keyPost: r.key_post,
    status: r.status,
  };
}

const titleTaken = (title: string) =>
  new DomainError('POST_TITLE_TAKEN', { title }, [
    detail(
      'title',
      `Đơn vị đã có chức danh "${title}" đang sử dụng.`,
      `The unit already has an active post "${title}".`,
    ),
  ]);

/**
 * Posts at union units (their terms are TermsService's). Every read and write is filtered by the
 * actor's scope through the unit's materialized path.
 */
@Injectable()
export class PostsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A post whose unit lies in the actor's scope for `permission`; else 404. */
  async findInScope(
    actor: Actor,
    id: string,
    permission: Permission = 'people:read',
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<PostRow> {
    const scope = scopeConditionRaw('o.path', actor.scopePaths(permission), 2);
    const [row] = await em.query<PostRow[]>(
      `SELECT ${POST_COLUMNS}, o.path AS org_path
         FROM posts p JOIN org_units o ON o.id = p.org_unit_id
        WHERE p.id = $1 AND ${scope.sql}
        ${lock ? 'FOR UPDATE OF p' : ''}`,
      [id, ...scope.params],
    );
    if (!row) throw new DomainError('POST_NOT_FOUND');
    return row;
  }

  async get(actor: Actor, id: string): Promise<PostDto> {
    return toPostDto(await this.findInScope(actor, id));
  }

  /** The posts of one unit, chair first (post_type is an enum in rank order), keyset paged. */
  async listForUnit(
    actor: Actor,
    unitId: string,
    query: ListPostsQueryDto,
  ): Promise<Page<PostDto>> {
    const unit = await this.orgUnits.findInScope(actor, unitId, 'people:read');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, [POST_TYPES, 'uuid']);
    const params: unknown[] = [unit.id, limit + 1];
    let where = 'p.org_unit_id = $1';
    if (!query.includeArchived) where += ` AND p.status = 'active'`;
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where += ' AND (p.post_type, p.id) > ($3::post_type, $4::uuid)';
    }
    const rows = await this.dataSource.query<PostRow[]>(
      `SELECT ${POST_COLUMNS}, '' AS org_path FROM posts p
        WHERE ${where}
        ORDER BY p.post_type, p.id
        LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (r) => [r.post_type, r.id], toPostDto);
  }

  async create(actor: Actor, dto: CreatePostDto): Promise<PostDto> {
    return this.dataSource.transaction(async (em) => {
      const unit = await this.orgUnits.findInScope(actor, dto.orgUnitId, 'hr:manage', em);
      if (unit.status === 'archived') throw new DomainError('ORG_UNIT_ARCHIVED');
      const title = nfc(dto.title ?? POST_TYPE_LABELS[dto.postType].vi);
      await this.checkTitleFree(em, unit.id, dto.postType, title, null);
      try {
        const [row] = await em.query<{ id: string }[]>(
          `INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [
            unit.id,
            dto.postType,
            title,
            dto.employment ?? 'part_time',
            dto.singleHolder ?? SINGLE_HOLDER_BY_DEFAULT.has(dto.postType),
            dto.keyPost ?? KEY_POST_BY_DEFAULT.has(dto.postType),
          ],
        );
        const created = toPostDto(await this.findInScope(actor, row.id, 'hr:manage', em));
        await this.audit.record(em, actor, {
          action: 'post.create',
          entityType: 'post',
          entityId: created.id,
          orgUnitId: created.orgUnitId,
          before: null,
          after: created,
        });
        return created;
      } catch (error) {
        if (isUniqueViolation(error, 'ux_posts_unit_title')) {
          throw titleTaken(title);
        }
        throw error;
      }
    });
  }

  /**
   * Changes title, employment, flags or status. The post row is locked first, so the holder
   * checks below see every appointment that will ever be made under the old flags.
   */
  async update(actor: Actor, id: string, dto: UpdatePostDto): Promise<PostDto> {
    return this.dataSource.transaction(async (em) => {
      const post = await this.findInScope(actor, id, 'hr:manage', em, true);
      const title = dto.title !== undefined ? nfc(dto.title) : post.title;
      const status = dto.status ?? post.status;
      if (status === 'active' && (title !== post.title || post.status !== 'active')) {
        await this.checkTitleFree(em, post.org_unit_id, post.post_type, title, id);
      }
      if (status === 'archived' && post.status === 'active') {
        const [held] = await em.query<unknown[]>(
          `SELECT 1 FROM appointments
            WHERE post_id = $1 AND status <> 'cancelled'
              AND (end_date IS NULL OR end_date >= $2::date)
            LIMIT 1`,
          [id, this.clock.todayVn()],
        );
        if (held) throw new DomainError('POST_HAS_HOLDERS');
      }
      if (dto.singleHolder === true && !post.single_holder) {
        const [overlap] = await em.query<unknown[]>(
          `SELECT 1 FROM appointments a
             JOIN appointments b ON b.post_id = a.post_id AND b.id > a.id
            WHERE a.post_id = $1 AND a.status <> 'cancelled' AND b.status <> 'cancelled'
              AND a.start_date <= COALESCE(b.end_date, 'infinity'::date)
              AND b.start_date <= COALESCE(a.end_date, 'infinity'::date)
            LIMIT 1`,
          [id],
        );
        if (overlap) throw new DomainError('POST_HOLDERS_OVERLAP');
      }
      try {
        await em.query(
          `UPDATE posts SET title = $2, employment = $3, single_holder = $4, key_post = $5,
                            status = $6, updated_at = now()
            WHERE id = $1`,
          [
            id,
            title,
            dto.employment ?? post.employment,
            dto.singleHolder ?? post.single_holder,
            dto.keyPost ?? post.key_post,
            status,
          ],
        );
      } catch (error) {
        if (isUniqueViolation(error, 'ux_posts_unit_title')) {
          throw titleTaken(title);
        }
        throw error;
      }
      const before = toPostDto(post);
      const after = toPostDto(await this.findInScope(actor, id, 'hr:manage', em));
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await this.audit.record(em, actor, {
          action: 'post.update',
          entityType: 'post',
          entityId: id,
          orgUnitId: after.orgUnitId,
          before,
          after,
        });
      }
      return after;
    });
  }

  private async checkTitleFree(
    em: EntityManager,
    unitId: string,
    postType: string,
    title: string,
    selfId: string | null,
  ): Promise<void> {
    const [taken] = await em.query<{ id: string }[]>(
      `SELECT id FROM posts
        WHERE org_unit_id = $1 AND post_type = $2 AND title = $3 AND status = 'active'
          AND ($4::uuid IS NULL OR id <> $4::uuid)`,
      [unitId, postType, title, selfId],
    );
    if (taken) {
      throw titleTaken(title);
    }
  }
}
