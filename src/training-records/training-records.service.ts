import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { nfc } from '../common/text/vietnamese';
import type { CompletionMethod } from '../courses/course.types';
import { PeopleService } from '../people/people.service';
import { TranscriptDto } from './dto/transcript.dto';
import { TranscriptKind, TranscriptLine, TranscriptRecognition } from './transcript-csv';

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
  /** 'manual': an officer recognised prior learning; `note` holds the reason. */
  recognition: CompletionMethod;
  note: string | null;
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
                                     certificate_serial, recognition, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
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
        input.recognition,
        input.note === null ? null : nfc(input.note),
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
   * A person's transcript, newest first: courses completed in the system (by their rule or
   * recognised by an officer) and verified external training (withdrawn records are left out).
   * For the person themself, and for staff with training:read whose scope covers the person
   * (others in scope-less roles: 403; staff out of scope: 404, as for the person's profile).
   */
  async lines(actor: Actor, personId: string): Promise<TranscriptLine[]> {
    await this.people.assertCanRead(actor, personId, 'training:read');
    const rows = await this.dataSource.query<
      {
        kind: TranscriptKind;
        course_code: string | null;
        title: string;
        provider: string | null;
        completed_on: string;
        hours: string;
        score: string | null;
        grade: string | null;
        recognition: TranscriptRecognition;
        note: string | null;
        certificate_serial: string | null;
      }[]
    >(
      `SELECT * FROM (
         SELECT 'course' AS kind, r.course_code, r.course_title AS title, NULL AS provider,
                (r.completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS completed_on,
                r.completed_at AS at, r.hours, r.score, r.grade, r.recognition::text AS recognition,
                r.note, r.certificate_serial, r.id
           FROM training_records r WHERE r.person_id = $1
         UNION ALL
         SELECT 'external', NULL, x.title, x.provider, x.end_on::text, x.verified_at, x.hours,
                NULL, NULL, 'external', x.evidence_note, NULL, x.id
           FROM external_trainings x WHERE x.person_id = $1 AND x.status = 'verified'
       ) t
       ORDER BY t.completed_on DESC, t.at DESC, t.id`,
      [personId],
    );
    return rows.map((r) => ({
      kind: r.kind,
      courseCode: r.course_code,
      courseTitle: r.title,
      provider: r.provider,
      completedOn: r.completed_on,
      hours: Number(r.hours),
      score: r.score === null ? null : Number(r.score),
      grade: r.grade,
      recognition: r.recognition,
      note: r.note,
      certificateSerial: r.certificate_serial,
    }));
  }

  async transcript(actor: Actor, personId: string): Promise<TranscriptDto> {
    const items = await this.lines(actor, personId);
    // Hours are one decimal at most: sum in tenths so 0.1 + 0.2 stays 0.3.
    const tenths = items.reduce((sum, l) => sum + Math.round(l.hours * 10), 0);
    return { items, totalHours: tenths / 10 };
  }
}
