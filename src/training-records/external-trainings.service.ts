import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { DomainError, ErrorDetail } from '../common/errors/domain-error';
import { nfc } from '../common/text/vietnamese';
import { PeopleService } from '../people/people.service';
import {
  CreateExternalTrainingDto,
  ExternalTrainingDto,
  ExternalTrainingListDto,
} from './dto/external-training.dto';
import { ExternalTrainingStatus } from './training-record.entity';
import { isoToVi } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';

/** Earliest first day accepted: no cadre in the system trained before this. */
export const EXTERNAL_TRAINING_EARLIEST = '1960-01-01';

interface Row {
  id: string;
  person_id: string;
  title: string;
  provider: string;
  start_on: string;
  end_on: string;
  hours: string;
  evidence_note: string | null;
  status: ExternalTrainingStatus;
  verified_by_person_id: string | null;
  verifier_name: string | null;
  verified_at: Date;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
}

const SELECT = `SELECT x.id, x.person_id, x.title, x.provider, x.start_on::text AS start_on,
       x.end_on::text AS end_on, x.hours, x.evidence_note, x.status, x.verified_by_person_id,
       v.full_name AS verifier_name, x.verified_at, x.withdrawn_at, x.withdrawn_reason
  FROM external_trainings x
  LEFT JOIN people v ON v.id = x.verified_by_person_id`;

const toDto = (r: Row): ExternalTrainingDto => ({
  id: r.id,
  personId: r.person_id,
  title: r.title,
  provider: r.provider,
  startOn: r.start_on,
  endOn: r.end_on,
  hours: Number(r.hours),
  evidenceNote: r.evidence_note,
  status: r.status,
  verifiedBy: { personId: r.verified_by_person_id, fullName: r.verifier_name },
  verifiedAt: new Date(r.verified_at).toISOString(),
  withdrawnAt: r.withdrawn_at ? new Date(r.withdrawn_at).toISOString() : null,
  withdrawnReason: r.withdrawn_reason,
});

/**
 * Training done outside the system, recorded by a training officer who has seen the evidence
 * (and is named as its verifier). It counts on the transcript with its hours; a record entered
 * by mistake is withdrawn with a reason, never deleted. Every write is audited.
 */
@Injectable()
export class ExternalTrainingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(
    actor: Actor,
    personId: string,
    dto: CreateExternalTrainingDto,
  ): Promise<ExternalTrainingDto> {
    const details: ErrorDetail[] = [];
    const today = this.clock.todayVn();
    if (dto.startOn < EXTERNAL_TRAINING_EARLIEST) {
      details.push({ field: 'startOn', message: isoToVi(dto.startOn) });
    }
    if (dto.endOn < dto.startOn) details.push({ field: 'endOn', message: isoToVi(dto.endOn) });
    if (dto.endOn > today) details.push({ field: 'endOn', message: isoToVi(dto.endOn) });
    if (details.length) {
      throw new DomainError(
        'EXTERNAL_TRAINING_DATES',
        { earliest: isoToVi(EXTERNAL_TRAINING_EARLIEST) },
        details,
      );
    }
    return this.dataSource.transaction(async (em) => {
      const person = await this.people.findInScope(actor, personId, 'training:manage', em);
      if (person.id === actor.personId) throw new DomainError('LEARNING_SELF_RECOGNITION');
      const [{ id }] = await em.query<{ id: string }[]>(
        `INSERT INTO external_trainings (person_id, title, provider, start_on, end_on, hours,
                                         evidence_note, recorded_by, verified_by_person_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          person.id,
          nfc(dto.title.trim()),
          nfc(dto.provider.trim()),
          dto.startOn,
          dto.endOn,
          dto.hours,
          dto.evidenceNote?.trim() ? nfc(dto.evidenceNote.trim()) : null,
          actor.userId,
          actor.personId,
        ],
      );
      const created = await this.read(em, id);
      await this.audit.record(em, actor, {
        action: 'external_training.create',
        entityType: 'external_training',
        entityId: id,
        orgUnitId: person.homeOrgUnitId,
        after: created,
      });
      return created;
    });
  }

  async withdraw(actor: Actor, id: string, reason: string): Promise<ExternalTrainingDto> {
    return this.dataSource.transaction(async (em) => {
      const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 2);
      const [row] = await em.query<{ status: ExternalTrainingStatus; home: string }[]>(
        `SELECT x.status, p.home_org_unit_id AS home
           FROM external_trainings x
           JOIN people p ON p.id = x.person_id
           JOIN org_units o ON o.id = p.home_org_unit_id
          WHERE x.id = $1 AND ${scope.sql}
          FOR UPDATE OF x`,
        [id, ...scope.params],
      );
      if (!row) throw new DomainError('EXTERNAL_TRAINING_NOT_FOUND');
      if (row.status === 'withdrawn') throw new DomainError('EXTERNAL_TRAINING_WITHDRAWN');
      const before = await this.read(em, id);
      await em.query(
        `UPDATE external_trainings SET status = 'withdrawn', withdrawn_at = now(),
                                       withdrawn_reason = $2
          WHERE id = $1`,
        [id, nfc(reason.trim())],
      );
      const after = await this.read(em, id);
      await this.audit.record(em, actor, {
        action: 'external_training.withdraw',
        entityType: 'external_training',
        entityId: id,
        orgUnitId: row.home,
        before,
        after,
      });
      return after;
    });
  }

  /** A person's external training, newest first, withdrawn ones included (they are history). */
  async list(actor: Actor, personId: string): Promise<ExternalTrainingListDto> {
    await this.assertCanRead(actor, personId);
    const rows = await this.dataSource.query<Row[]>(
      `${SELECT} WHERE x.person_id = $1 ORDER BY x.end_on DESC, x.id`,
      [personId],
    );
    return { items: rows.map(toDto) };
  }

  /** The person themself; staff with training:read in scope (404 outside); others 403. */
  async assertCanRead(actor: Actor, personId: string): Promise<void> {
    await this.people.assertCanRead(actor, personId, 'training:read');
  }

  private async read(em: EntityManager, id: string): Promise<ExternalTrainingDto> {
    const [row] = await em.query<Row[]>(`${SELECT} WHERE x.id = $1`, [id]);
    return toDto(row);
  }
}
