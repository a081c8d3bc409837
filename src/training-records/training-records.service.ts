import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { isoDateVi } from '../certificates/certificate-format';
import { DomainError } from '../common/errors/domain-error';
import { nfc } from '../common/text/vietnamese';
import { PeopleService } from '../people/people.service';
import { TranscriptDto } from './dto/transcript.dto';
import { TranscriptLine } from './transcript-csv';
import { TrainingRecordEntity } from './training-record.entity';

export interface CompletionRecord {
  personId: string;
  enrolmentId: string;
  courseId: string;
  courseCode: string;
  courseTitle: string;
  hours: number;
  /** Null when the course had no final assessment. */
  score: number | null;
  grade: string | null;
  completedAt: Date;
  certificateId: string | null;
  certificateSerial: string | null;
}

@Injectable()
export class TrainingRecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PeopleService,
  ) {}

  /** Writes the transcript line of a completion in the caller's transaction; once per enrolment. */
  async recordCompletion(em: EntityManager, input: CompletionRecord): Promise<void> {
    await em.query(
      `INSERT INTO training_records (person_id, enrolment_id, course_id, course_code, course_title,
                                     hours, score, grade, completed_at, certificate_id,
                                     certificate_serial)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (enrolment_id) DO NOTHING`,
      [
        input.personId,
        input.enrolmentId,
        input.courseId,
        nfc(input.courseCode),
        nfc(input.courseTitle),
        input.hours,
        input.score,
        input.grade === null ? null : nfc(input.grade),
        input.completedAt,
        input.certificateId,
        input.certificateSerial,
      ],
    );
  }

  /**
   * A reissued certificate supersedes the one on the transcript line: the line names the new
   * serial from now on (the old one stays in the certificates ledger, marked replaced).
   */
  async pointToReissuedCertificate(
    em: EntityManager,
    replaced: { id: string },
    reissued: { id: string; serial: string },
  ): Promise<void> {
    await em.query(
      `UPDATE training_records SET certificate_id = $2, certificate_serial = $3
        WHERE certificate_id = $1`,
      [replaced.id, reissued.id, reissued.serial],
    );
  }

  /**
   * A person's completed courses, newest first: for the person themself, and for staff with
   * training:read whose scope covers the person (others in scope-less roles: 403; staff out
   * of scope: 404, as for the person's profile).
   */
  async lines(actor: Actor, personId: string): Promise<TranscriptLine[]> {
    if (personId !== actor.personId) {
      if (!actor.can('training:read')) throw new DomainError('FORBIDDEN');
      await this.people.findInScope(actor, personId, 'training:read');
    }
    const rows = await this.dataSource
      .createQueryBuilder(TrainingRecordEntity, 'r')
      .where('r.person_id = :personId', { personId })
      .orderBy('r.completed_at', 'DESC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
    return rows.map((r) => ({
      courseCode: r.courseCode,
      courseTitle: r.courseTitle,
      completedAt: r.completedAt,
      hours: r.hours,
      grade: r.grade,
      certificateSerial: r.certificateSerial,
    }));
  }

  async transcript(actor: Actor, personId: string): Promise<TranscriptDto> {
    const lines = await this.lines(actor, personId);
    return {
      items: lines.map((l) => ({
        courseCode: l.courseCode,
        courseTitle: l.courseTitle,
        completedOn: isoDateVi(l.completedAt),
        hours: l.hours,
        grade: l.grade,
        certificateSerial: l.certificateSerial,
      })),
    };
  }
}
