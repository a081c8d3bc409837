/**
 * `replaced`: superseded by a reissued certificate (a name correction, a lost paper); the old
 * row points at its successor. `revoked` is final; `suspended` can be reinstated.
 */
export const CERTIFICATE_STATUSES = [
  'valid',
  'suspended',
  'revoked',
  'expired',
  'replaced',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/**
 * The texts of a certificate, frozen when it is issued. Renaming the person, the course or the
 * issuing unit later changes none of it: the PDF and the public verification read only this.
 */
export interface CertificateSnapshot {
  holderName: string;
  courseCode: string;
  courseTitle: string;
  hours: number;
  /** Hours attended of a classroom session (issue 17); absent for a course without sessions. */
  attendedHours?: number;
  /** Both null when the course had no final assessment: the page attests completion only. */
  score: number | null;
  grade: string | null;
  /** dd/MM/yyyy in Vietnam time. */
  issuedOn: string;
  issuerName: string;
  serial: string;
  verifyUrl: string;
  /** On a reissued certificate: the serial of the one it replaces (printed on the page). */
  replacesSerial?: string;
  /** dd/MM/yyyy: the last day of validity, when the certificate has one (printed on the page). */
  validUntil?: string;
}
