export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

export const PERSON_STATUSES = ['active', 'inactive', 'retired', 'deceased'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];
