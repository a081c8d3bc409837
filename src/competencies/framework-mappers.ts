import {
  CompetencyEntity,
  CompetencyIndicatorEntity,
  FrameworkEntity,
  FrameworkVersionEntity,
} from './competency.entities';
import { CompetencyDto, FrameworkDto, VersionSummaryDto } from './dto/framework.dto';

/** Entity → response mappers shared by framework reading and authoring. */

export function toVersionSummary(v: FrameworkVersionEntity): VersionSummaryDto {
  return {
    id: v.id,
    frameworkId: v.frameworkId,
    versionNo: v.versionNo,
    status: v.status,
    locked: v.status !== 'draft',
    proficientLevel: v.proficientLevel,
    policy: { kind: v.policy, years: v.policyYears },
    copiedFromId: v.copiedFromId,
    publishedAt: v.publishedAt ? v.publishedAt.toISOString() : null,
    retiredAt: v.retiredAt ? v.retiredAt.toISOString() : null,
  };
}

export function toFrameworkDto(
  f: FrameworkEntity,
  versions: FrameworkVersionEntity[],
): FrameworkDto {
  return {
    id: f.id,
    code: f.code,
    nameVi: f.nameVi,
    nameEn: f.nameEn,
    description: f.description,
    ownerOrgUnitId: f.ownerOrgUnitId,
    versions: versions.map(toVersionSummary),
  };
}

export function toCompetencyDto(
  c: CompetencyEntity,
  domainCode: string,
  indicators: CompetencyIndicatorEntity[],
): CompetencyDto {
  return {
    id: c.id,
    lineageId: c.lineageId,
    code: c.code,
    domainCode,
    nameVi: c.nameVi,
    nameEn: c.nameEn,
    descriptionVi: c.descriptionVi,
    descriptionEn: c.descriptionEn,
    position: c.position,
    indicators: indicators
      .sort((a, b) => a.level - b.level)
      .map((i) => ({ level: i.level, textVi: i.textVi, textEn: i.textEn })),
  };
}
