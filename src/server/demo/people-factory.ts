import type { DatasetBuilder, PersonNode, UnitNode } from './dataset.ts';
import { birthDate, chineseName, type Gender, IdentityRegistry, REFERENCE_YEAR } from './identity.ts';
import type { Random } from './random.ts';

/** The resident whose phone the start-up banner shows; lives in 体育场社区第一网格. */
export const DEMO_RESIDENT_PHONE = '13800000001';

export interface NewPerson {
  unit: UnitNode;
  gender?: Gender;
  minAge?: number;
  maxAge?: number;
  familyName?: string;
  address?: string | null;
  isResident?: boolean;
  note?: string | null;
  phone?: string | null;
}

/** Makes people with realistic names, identity numbers that pass the checksum, and unique mobile numbers. */
export class PeopleFactory {
  private readonly builder: DatasetBuilder;
  private readonly random: Random;
  private readonly registry = new IdentityRegistry([DEMO_RESIDENT_PHONE]);

  constructor(builder: DatasetBuilder, random: Random) {
    this.builder = builder;
    this.random = random;
  }

  make(fields: NewPerson): PersonNode {
    const r = this.random;
    const gender = fields.gender ?? (r.chance(0.5) ? 'male' : 'female');
    const birth = birthDate(r, fields.minAge ?? 18, fields.maxAge ?? 80);
    const age = REFERENCE_YEAR - Number(birth.slice(0, 4));
    const phone = fields.phone !== undefined ? fields.phone : age >= 14 ? this.registry.phone(r) : null;
    return this.builder.person({
      name: chineseName(r, gender, fields.familyName),
      gender,
      birthDate: birth,
      phone,
      idNumber: this.registry.idNumber(r, birth, gender),
      unit: fields.unit,
      address: fields.address ?? null,
      isResident: fields.isResident ?? true,
      note: fields.note ?? null,
    });
  }

  /** Staff: a working-age person whose record is kept by the unit they work in. */
  staff(unit: UnitNode, minAge = 26, maxAge = 55): PersonNode {
    return this.make({ unit, minAge, maxAge, isResident: false });
  }
}

export function ageOf(person: PersonNode): number {
  return REFERENCE_YEAR - Number(person.birthDate.slice(0, 4));
}
