import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { LocalizedDetail } from '../../common/errors/domain-error';
import { flattenValidationErrors, RawDetail } from '../../common/http/validation';
import { CreateFrameworkDto } from '../dto/framework.dto';
import { checkVersionStructure } from '../framework-structure';

/**
 * A framework as the exchange formats carry it: what POST /frameworks takes, without the owner
 * unit (the importer names it). CSV and CASE both read into this shape and are checked by the
 * very rules of POST /frameworks, so an import can never store what the API would refuse.
 */
export type FrameworkDocument = Omit<CreateFrameworkDto, 'ownerOrgUnitId'>;

export interface DocumentCheck {
  dto: CreateFrameworkDto;
  /** class-validator failures (worded later in the caller's language). */
  raw: RawDetail[];
  /** Rules across fields (scale order, codes, domains, indicators), in both languages. */
  structure: LocalizedDetail[];
}

/** Validates a framework document exactly as the validation pipe and FrameworkAuthoringService do. */
export function checkFrameworkDocument(
  doc: FrameworkDocument,
  ownerOrgUnitId: string,
): DocumentCheck {
  const dto = plainToInstance(CreateFrameworkDto, { ...doc, ownerOrgUnitId });
  const errors = validateSync(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  const raw = flattenValidationErrors(errors);
  // The cross-field rules read arrays and numbers; they run once the shapes are right.
  const shaped =
    Array.isArray(dto.version?.scale?.levels) &&
    Array.isArray(dto.version?.domains) &&
    Array.isArray(dto.version?.competencies) &&
    dto.version.competencies.every((c) => Array.isArray(c?.indicators)) &&
    typeof dto.version.policy === 'object';
  const structure = shaped ? checkVersionStructure(dto.version) : [];
  return { dto, raw, structure };
}
