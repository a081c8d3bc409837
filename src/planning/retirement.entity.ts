import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { GENDERS, Gender } from '../people/person.types';

/**
 * The retirement-age roadmap by birth month (see retirement.ts): people of `gender` born from
 * `born_from` on retire at `age_months`, until the next row of the same gender. Read by the SQL
 * function retirement_date(birth, gender) that every statement needing a retirement date calls.
 * A change of law is new rows (a migration), and the pipeline facts are rebuilt after it.
 */
@Entity('retirement_age_roadmap')
@Check('ck_retirement_age_roadmap_month', 'EXTRACT(DAY FROM born_from) = 1')
@Check('ck_retirement_age_roadmap_age', 'age_months BETWEEN 480 AND 900')
export class RetirementAgeStepEntity {
  @PrimaryColumn({ type: 'enum', enum: GENDERS, enumName: 'person_gender' })
  gender: Gender;

  @PrimaryColumn({ name: 'born_from', type: 'date' })
  bornFrom: string;

  @Column({ name: 'age_months', type: 'smallint' })
  ageMonths: number;
}
