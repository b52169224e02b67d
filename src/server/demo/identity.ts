import type { Random } from './random.ts';

/** Common surnames, most frequent first; weights fall off so 王/李/张/刘 dominate as they do in Henan. */
const SURNAMES = [
  ...'王李张刘陈杨赵郭孙周高马朱徐许胡宋吴何郑韩冯范魏曹杜史闫尚郝黄梁谢唐邓彭田董袁潘于蒋蔡程苏吕丁任姚卢姜崔邵孟秦薛段雷侯牛贾龚毛石席胥乔裴焦申',
];
const SURNAME_WEIGHTS = SURNAMES.map((_, i) => 1 / (i + 4));

const MALE_CHARS = [
  ...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国志永振海东峰亮德福春文新利胜洪光庆卫红铁金宏昌博子晨轩睿泽一航毅诚豪彬',
];

const FEMALE_CHARS = [
  ...'芳娜敏静丽艳娟霞秀英桂兰玉红燕玲婷雪慧颖琳欣悦晶洁萍梅莉凤倩佳怡雯琴云华爱春荣淑珍彩月丹蕾瑶萱涵诗梦雨思可璐',
];

export type Gender = 'male' | 'female';

export function surname(random: Random): string {
  return random.weighted(SURNAMES, SURNAME_WEIGHTS);
}

/** One or two characters; a third of people have a one-character given name. */
export function givenName(random: Random, gender: Gender): string {
  const chars = gender === 'male' ? MALE_CHARS : FEMALE_CHARS;
  const first = random.pick(chars);
  if (random.chance(0.35)) return first;
  let second = random.pick(chars);
  while (second === first) second = random.pick(chars);
  return first + second;
}

export function chineseName(random: Random, gender: Gender, familyName = surname(random)): string {
  return familyName + givenName(random, gender);
}

/** Birthplace codes (GB/T 2260) around 平顶山, where most residents were born. */
const BIRTHPLACES =
  '410402 410403 410404 410411 410421 410422 410423 410425 410481 410482 410102 410202 411102 411302'.split(' ');
const BIRTHPLACE_WEIGHTS = [30, 12, 4, 10, 8, 8, 6, 6, 4, 6, 2, 1, 2, 1];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 check character of the first 17 digits of a resident identity number. */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] as string;
}

export function isValidIdNumber(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCheckDigit(id.slice(0, 17)) === id[17];
}

/**
 * An 18-digit identity number: birthplace, birth date, a sequence whose last digit is odd for men and even
 * for women, and the check character.
 */
export function idNumber(random: Random, birthDate: string, gender: Gender): string {
  const place = random.weighted(BIRTHPLACES, BIRTHPLACE_WEIGHTS);
  const seq = random.int(0, 49) * 2 + (gender === 'male' ? 1 : 0);
  const order = `${random.int(0, 9)}${String(seq).padStart(2, '0')}`;
  const first17 = `${place}${birthDate.replaceAll('-', '')}${order}`;
  return first17 + idCheckDigit(first17);
}

const PHONE_PREFIXES =
  '130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 180 181 182 183 185 186 187 188 189'.split(
    ' ',
  );

export function mobilePhone(random: Random): string {
  return random.pick(PHONE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Ages are counted at the end of this year, so that no birth date lies in the future. */
export const REFERENCE_YEAR = 2025;

/** A birth date for someone aged between minAge and maxAge at the end of the reference year. */
export function birthDate(random: Random, minAge: number, maxAge: number): string {
  const year = REFERENCE_YEAR - random.int(minAge, maxAge);
  const month = random.int(1, 12);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 28);
  const day = random.int(1, days);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Keeps generated identity numbers and phones unique across the whole data set. */
export class IdentityRegistry {
  private readonly idNumbers = new Set<string>();
  private readonly phones = new Set<string>();

  constructor(reservedPhones: Iterable<string> = []) {
    for (const p of reservedPhones) this.phones.add(p);
  }

  idNumber(random: Random, birth: string, gender: Gender): string {
    for (;;) {
      const id = idNumber(random, birth, gender);
      if (!this.idNumbers.has(id)) {
        this.idNumbers.add(id);
        return id;
      }
    }
  }

  phone(random: Random): string {
    for (;;) {
      const phone = mobilePhone(random);
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return phone;
      }
    }
  }
}
