export const ORG_LEVELS = [
  'confederation',
  'federation',
  'sectoral',
  'upper',
  'grassroots',
  'sub_unit',
] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

export const SECTORS = [
  'public_service',
  'state_enterprise',
  'private',
  'fdi',
  'cooperative',
  'informal',
] as const;
export type Sector = (typeof SECTORS)[number];

export const ORG_STATUSES = ['active', 'archived'] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];

/** Rank of each level: a unit's parent must rank strictly above it (federation may sit on sectoral). */
export const LEVEL_RANK: Record<OrgLevel, number> = {
  confederation: 0,
  federation: 1,
  sectoral: 1,
  upper: 2,
  grassroots: 3,
  sub_unit: 4,
};

export function canSitUnder(level: OrgLevel, parentLevel: OrgLevel): boolean {
  if (level === 'sub_unit') return parentLevel === 'grassroots' || parentLevel === 'sub_unit';
  return LEVEL_RANK[parentLevel] < LEVEL_RANK[level];
}
