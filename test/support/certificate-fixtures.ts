import { randomUUID } from 'node:crypto';
import {
  CertificatesService,
  IssueCertificateInput,
} from '../../src/certificates/certificates.service';
import { TrainingRecordsService } from '../../src/training-records/training-records.service';
import { TestApp } from './test-app';

export type IssuedTestCertificate = Awaited<ReturnType<typeof issueTestCertificate>>;

/**
 * Issues a certificate and its transcript line the way a completion does (one transaction,
 * through the two services), for a Hà Nội course taken by `input.personId` with 8.5 / Giỏi.
 */
export async function issueTestCertificate(
  t: TestApp,
  input: Pick<
    IssueCertificateInput,
    'personId' | 'issuerOrgUnitId' | 'courseCode' | 'courseTitle'
  > &
    Partial<IssueCertificateInput>,
) {
  const full: IssueCertificateInput = {
    enrolmentId: randomUUID(),
    courseId: randomUUID(),
    holderName: 'Nguyễn Thị Hương',
    hours: 16,
    score: 8.5,
    grade: 'Giỏi',
    issuerName: 'Liên đoàn Lao động Thành phố Hà Nội',
    completedAt: new Date(),
    ...input,
  };
  const certificates = t.app.get(CertificatesService);
  const records = t.app.get(TrainingRecordsService);
  return t.dataSource.transaction(async (em) => {
    const cert = await certificates.issueForCompletion(em, full);
    await records.recordCompletion(em, {
      ...full,
      certificateId: cert.id,
      certificateSerial: cert.serial,
      recognition: 'rules',
      note: null,
    });
    return { ...cert, input: full };
  });
}
