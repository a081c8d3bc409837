import { Actor } from '../auth/actor';
import { nfc } from '../common/text/vietnamese';
import { ProfileChangeRequestDto, ProfileValuesDto } from './dto/profile.dto';
import { maskNationalId } from './people.service';
import { Gender } from './person.types';
import {
  ProfileChangeRequestState,
  RequestableField,
  RequestedValues,
} from './profile-change-request.entity';

/*
 * How a profile change request is read: the one query (with its person and home unit), the DTO
 * its readers get, and the snapshot the audit log keeps.
 */

/** A request with its person and the person's home unit, as one query reads it. */
export interface RequestRow {
  id: string;
  person_id: string;
  state: ProfileChangeRequestState;
  requested: RequestedValues;
  note: string | null;
  created_at: Date;
  decided_at: Date | null;
  decision_note: string | null;
  superseded_by_id: string | null;
  /** created_at in UTC to the microsecond: the keyset's exact value. */
  at_key: string;
  full_name: string;
  family_name: string;
  middle_name: string | null;
  given_name: string;
  birth_date: string | null;
  gender: Gender | null;
  national_id: string | null;
  home_org_unit_id: string;
  org_name: string;
  org_path: string;
}

export const SELECT_REQUEST = `
  SELECT r.id, r.person_id, r.state, r.requested, r.note, r.created_at, r.decided_at,
         r.decision_note, r.superseded_by_id,
         to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key,
         pe.full_name, pe.family_name, pe.middle_name, pe.given_name,
         pe.birth_date::text AS birth_date, pe.gender, pe.national_id, pe.home_org_unit_id,
         o.name AS org_name, o.path AS org_path
    FROM profile_change_requests r
    JOIN people pe ON pe.id = r.person_id
    JOIN org_units o ON o.id = pe.home_org_unit_id`;

/** The words of a state in an error message. */
export const STATE_WORDS: Record<ProfileChangeRequestState, { vi: string; en: string }> = {
  pending: { vi: 'đang chờ duyệt', en: 'pending' },
  approved: { vi: 'đã duyệt', en: 'approved' },
  rejected: { vi: 'đã từ chối', en: 'rejected' },
  withdrawn: { vi: 'đã rút', en: 'withdrawn' },
  superseded: { vi: 'đã được thay bằng yêu cầu mới', en: 'superseded' },
};

function currentValues(r: RequestRow): Required<RequestedValues> {
  return {
    familyName: r.family_name,
    middleName: r.middle_name,
    givenName: r.given_name,
    birthDate: r.birth_date,
    gender: r.gender,
    nationalId: r.national_id?.trim() ?? null,
  };
}

/** The values with the CCCD masked (for the audit log, read more widely than the record). */
function masked(values: RequestedValues): RequestedValues {
  return 'nationalId' in values
    ? { ...values, nationalId: maskNationalId(values.nationalId ?? null) }
    : values;
}

/** A request as the audit log keeps it: its state and what it asks, the CCCD masked. */
export function requestAuditSnapshot(r: {
  id: string;
  person_id: string;
  state: string;
  requested: RequestedValues;
  note: string | null;
  decision_note?: string | null;
  superseded_by_id?: string | null;
}) {
  return {
    id: r.id,
    personId: r.person_id,
    state: r.state,
    requested: masked(r.requested),
    note: r.note,
    decisionNote: r.decision_note ?? null,
    supersededById: r.superseded_by_id ?? null,
  };
}

/** The request as its reader sees it: the CCCD whole for the person and HR in scope only. */
export function toRequestDto(actor: Actor, r: RequestRow): ProfileChangeRequestDto {
  const whole =
    r.person_id === actor.personId || actor.covers('people:read-national-id', r.org_path);
  const show = (v: RequestedValues): ProfileValuesDto => (whole ? v : masked(v));
  const current = currentValues(r);
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.full_name,
    homeOrgUnitId: r.home_org_unit_id,
    homeOrgUnitName: r.org_name,
    state: r.state,
    requested: show(r.requested),
    current: show(current),
    note: r.note,
    createdAt: new Date(r.created_at).toISOString(),
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    decisionNote: r.decision_note,
    supersededById: r.superseded_by_id,
  };
}

/** A requested value as the record would keep it: names in NFC, an empty middle name none. */
export function normalised(field: RequestableField, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (field === 'familyName' || field === 'givenName') return nfc(value);
  if (field === 'middleName') return nfc(value) || null;
  return value;
}
