import type { Trx } from '../db/database.ts';

/** 'YYYY-MM-DD' of a moment in Shanghai. */
export const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/** The Shanghai wall-clock `time` ('HH:MM') on the day `days` after the day of `now` (negative: before). */
export function shanghaiAt(now: Date, days: number, time: string): Date {
  const day = shanghaiDay.format(new Date(now.getTime() + days * 86_400_000));
  return new Date(`${day}T${time}:00+08:00`);
}

/** The unit at the end of a path of names from the top of the tree (城市 → 区 → 街道 …), or null. */
export async function findUnitByNames(trx: Trx, names: readonly string[]): Promise<number | null> {
  let parent: number | null = null;
  for (const name of names) {
    const row: { id: number } | undefined = await trx
      .selectFrom('units')
      .select('id')
      .where((eb) => (parent === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parent)))
      .where('name', '=', name)
      .orderBy('id')
      .executeTakeFirst();
    if (!row) return null;
    parent = row.id;
  }
  return parent;
}
