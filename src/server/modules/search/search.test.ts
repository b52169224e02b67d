import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { type ColumnType, type Kysely, sql } from 'kysely';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import {
  MAX_SEGMENT_CHARS,
  searchMatchSql,
  searchQuerySql,
  searchQueryText,
  searchRankSql,
  searchVectorSql,
  searchVectorText,
  segment,
} from './segment.ts';
import { type CategoryForSuggestion, suggestCategories } from './suggest-category.ts';

describe('segment', () => {
  test('cuts a report into search words: long words and the words inside them', () => {
    const words = segment('小区垃圾清运不及时，楼道堆满杂物');
    for (const word of ['小区', '垃圾', '清运', '垃圾清运', '楼道', '杂物']) assert.ok(words.includes(word), word);
  });

  test('drops punctuation, whitespace, symbols and stop words', () => {
    const words = segment('  楼道里的灯坏了！！是在三号楼……  😀 ★ ，。');
    assert.ok(words.includes('楼道'));
    for (const dropped of ['的', '了', '是', '在', '！', '，', '。', '……', '😀', '★', ' ']) {
      assert.ok(!words.includes(dropped), dropped);
    }
    assert.deepEqual(segment('，。！？、——'), []);
    assert.deepEqual(segment('的了是在和与及等'), []);
    assert.deepEqual(segment(''), []);
  });

  test('keeps numbers and latin words whole, full-width folded and lower-cased', () => {
    const words = segment('ＣＯＶＩＤ－１９ 疫苗 12345 热线 Wi-Fi 信号 3.5米');
    for (const word of ['covid-19', '12345', '3.5', '疫苗', '热线']) assert.ok(words.includes(word), word);
    assert.ok(words.every((word) => word === word.toLowerCase()));
  });

  test('keeps the domain words whole', () => {
    const text = '网格员反映物业费问题，占道经营、噪音扰民，红色物业，一键呼叫，吹哨报到';
    const words = segment(text);
    for (const word of ['网格员', '物业费', '占道经营', '噪音扰民', '红色物业', '一键呼叫', '吹哨报到']) {
      assert.ok(words.includes(word), word);
    }
  });

  test('reads only the first MAX_SEGMENT_CHARS characters of a very long text', () => {
    const text = `${'楼道堆满杂物。'.repeat(Math.ceil(MAX_SEGMENT_CHARS / 7))}占道经营`;
    assert.ok(text.length > MAX_SEGMENT_CHARS);
    const words = segment(text);
    assert.ok(words.includes('杂物'));
    assert.ok(!words.includes('占道经营'));
  });
});

describe('searchQueryText', () => {
  test('has no query when nothing is searchable', () => {
    for (const q of ['', '   ', '，。！？', '的了是', '★☆ … ——', '\u0000\u0007'])
      assert.equal(searchQueryText(q), null, q);
    assert.equal(searchQuerySql('！！'), null);
  });

  test('turns tsquery operators in user text into nothing but quoted words', () => {
    assert.equal(searchQueryText("a & b | !c:*'"), "'a' & 'b' & 'c'");
    assert.equal(searchQueryText("o'brien"), "'o' & 'brien':*");
  });
});

type ProbeTable = {
  search_probe: {
    id: number;
    title: string;
    description: string;
    search: ColumnType<unknown, string, string>;
  };
};

const CASES: Array<[number, string, string]> = [
  [1, '小区垃圾清运不及时', '楼道堆满杂物，居民多次反映无人处理。'],
  [2, '楼下烧烤店噪音扰民', '每天晚上十二点以后还在营业，油烟和噪音很大。'],
  [3, '路灯损坏', '三号楼前的路灯坏了一周，晚上出行不便，垃圾桶旁边很黑。'],
  [4, '商贩占道经营', '菜市场门口商贩占道经营，堵塞消防通道。'],
  [5, '物业费收取不合理', '物业公司擅自上涨物业费，垃圾清运也不及时。'],
  [6, 'COVID-19 疫苗接种咨询', '社区卫生服务站能否接种？电话 12345 转接过来的，楼里 Wi-Fi 信号 3.5 米外就没有了。'],
  [7, '垃圾堆放', '垃圾三天没人清运，气味很大。'],
];

for (const kind of await databaseKinds()) {
  describe(`Chinese full-text search (${kind})`, () => {
    let tdb: TestDatabase;
    let db: Kysely<ProbeTable>;

    before(async () => {
      tdb = await freshDatabase(kind);
      db = tdb.database.db.withTables<ProbeTable>();
      await sql`CREATE TABLE search_probe (
        id integer PRIMARY KEY, title text NOT NULL, description text NOT NULL, search tsvector)`.execute(db);
      await sql`CREATE INDEX search_probe_search_idx ON search_probe USING gin (search)`.execute(db);
      for (const [id, title, description] of CASES) {
        await db
          .insertInto('search_probe')
          .values({ id, title, description, search: searchVectorSql(title, description) })
          .execute();
      }
    });
    after(() => tdb.dispose());

    /** Ids of the matching rows, best first. */
    async function find(q: string): Promise<number[]> {
      const query = searchQuerySql(q);
      assert.ok(query, `no query for ${q}`);
      const rows = await db
        .selectFrom('search_probe')
        .select('id')
        .where(searchMatchSql('search_probe.search', query))
        .orderBy(searchRankSql('search_probe.search', query), 'desc')
        .orderBy('id')
        .execute();
      return rows.map((row) => row.id);
    }
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

    test('finds a word in title or description, the title-match first', async () => {
      assert.deepEqual(await find('垃圾清运'), [1, 5, 7]);
      assert.deepEqual(await find('噪音'), [2]);
      assert.deepEqual(await find('占道经营'), [4]);
    });

    test('a compound query word also finds its parts written apart', async () => {
      // Case 7 says 垃圾…清运 without the compound 垃圾清运.
      assert.ok((await find('垃圾清运')).includes(7));
    });

    test('a query of two words needs both', async () => {
      assert.deepEqual(await find('垃圾 路灯'), [3]);
      assert.deepEqual(sorted(await find('物业费 垃圾')), [5]);
      assert.deepEqual(await find('噪音 路灯'), []);
    });

    test('the last word is a prefix while it is being typed, not once finished', async () => {
      assert.deepEqual(sorted(await find('垃圾清')), [1, 5, 7]);
      assert.deepEqual(await find('垃圾清 '), []);
    });

    test('latin, hyphenated and decimal words and numbers match whole', async () => {
      assert.deepEqual(await find('covid-19'), [6]);
      assert.deepEqual(await find('ＣＯＶＩＤ－１９'), [6]);
      assert.deepEqual(await find('wi-fi'), [6]);
      assert.deepEqual(await find('3.5'), [6]);
      assert.deepEqual(await find('12345'), [6]);
    });

    test('SQL and tsquery syntax in the query is only text', async () => {
      assert.deepEqual(await find("a & b | !c:*'"), []);
      assert.deepEqual(await find("'); DROP TABLE search_probe; --"), []);
      assert.deepEqual(await find('垃圾 | 噪音'), []);
      assert.deepEqual(await find('!垃圾'), await find('垃圾'));
      const count = await db.selectFrom('search_probe').select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
      assert.equal(count?.n, CASES.length);
    });

    test('ranks a title match above a description match', async () => {
      const ids = await find('物业费');
      assert.deepEqual(ids, [5]);
      const rubbish = await find('垃圾');
      // 1 and 7 have 垃圾 in the title; 3 and 5 only in the description.
      assert.deepEqual(sorted(rubbish.slice(0, 2)), [1, 7]);
      assert.deepEqual(sorted(rubbish.slice(2)), [3, 5]);
    });

    test('an update rewrites the vector', async () => {
      await db
        .updateTable('search_probe')
        .set({ search: searchVectorSql('路灯已修复', '高空抛物') })
        .where('id', '=', 3)
        .execute();
      assert.deepEqual(await find('高空抛物'), [3]);
      assert.ok(!(await find('垃圾')).includes(3));
      const [, title, description] = CASES[2]!;
      await db
        .updateTable('search_probe')
        .set({ search: searchVectorSql(title, description) })
        .where('id', '=', 3)
        .execute();
    });

    test('the query can use the GIN index', async () => {
      const query = searchQuerySql('垃圾清运')!;
      const plan = await tdb.database.transaction(async (trx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const result = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id FROM search_probe
          WHERE ${searchMatchSql('search_probe.search', query)}`.execute(trx);
        return result.rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      assert.match(plan, /search_probe_search_idx/);
    });

    test('any text segments, and its query and vector are valid and the text finds itself', async () => {
      const piece = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.constantFrom(
          '垃圾',
          '清运',
          '垃圾清运',
          '楼道',
          '的',
          "'",
          "''",
          '\\',
          '&',
          '|',
          '!',
          ':*',
          ':A',
          '(',
          ')',
          '<->',
          '<2>',
          'covid-19',
          '3.5',
          ' ',
          '，',
          '\u0000',
          '\uD800',
          'Ａ',
          'x'.repeat(80),
        ),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
          const text = pieces.join('');
          segment(text);
          const query = searchQueryText(text);
          const vector = searchVectorText(text, [...pieces].reverse().join(''));
          if (query === null) {
            await sql`SELECT cast(${vector} as tsvector)`.execute(db);
            return;
          }
          const row = await sql<{ found: boolean }>`SELECT cast(${vector} as tsvector)
            @@ cast(${query} as tsquery) AS found`.execute(db);
          assert.equal(row.rows[0]?.found, true, `${JSON.stringify(text)} → ${query}`);
        }),
        { numRuns: 300 },
      );
    });
  });
}

describe('suggestCategories', () => {
  const categories: CategoryForSuggestion[] = [
    { id: 1, parentId: null, name: '环境卫生', keywords: ['环境', '卫生'] },
    { id: 11, parentId: 1, name: '垃圾清运', keywords: ['垃圾', '清运', '垃圾桶', '乱扔垃圾'] },
    { id: 12, parentId: 1, name: '楼道堆物', keywords: ['堆物', '杂物'] },
    { id: 2, parentId: null, name: '市容秩序', keywords: [] },
    { id: 21, parentId: 2, name: '占道经营', keywords: ['摊贩', '商贩', '占道'] },
    { id: 22, parentId: 2, name: '噪音扰民', keywords: ['噪音', '吵闹', '扰民'] },
    { id: 3, parentId: null, name: '物业管理', keywords: ['物业'] },
    { id: 31, parentId: 3, name: '物业收费', keywords: ['物业费', '乱收费'] },
    { id: 32, parentId: 3, name: '设施维修', keywords: ['路灯', '电梯'] },
  ];

  test('suggests the second-level categories whose words occur, best first', () => {
    const result = suggestCategories('小区垃圾清运不及时，楼道堆满杂物', categories);
    assert.deepEqual(
      result.map((s) => s.id),
      [11, 12],
    );
    assert.ok(result[0]!.score > result[1]!.score);
    assert.deepEqual(
      suggestCategories('有人乱扔垃圾', categories).map((s) => s.id),
      [11],
    );
    assert.deepEqual(
      suggestCategories('楼下商贩占道经营', categories).map((s) => s.id),
      [21],
    );
  });

  test('a keyword outweighs a word of a name, and the title outweighs the description', () => {
    // 物业费 is a keyword of 31; 物业 is only a word of 31's name (and 3's keyword); 路灯 is 32's keyword.
    assert.deepEqual(
      suggestCategories('物业费太贵', categories).map((s) => s.id),
      [31],
    );
    const asText = suggestCategories('楼道杂物 路灯坏了', categories).map((s) => s.id);
    const titled = suggestCategories({ title: '路灯坏了', description: '楼道杂物' }, categories).map((s) => s.id);
    assert.deepEqual(titled, [32, 12]);
    assert.deepEqual(new Set(asText), new Set([12, 32]));
  });

  test('equal scores are ordered by id; the limit holds; never a first-level category', () => {
    const text = '晚上很吵闹，摊贩很多';
    const result = suggestCategories(text, categories);
    assert.equal(result[0]!.score, result[1]!.score);
    assert.deepEqual(
      result.map((s) => s.id),
      [21, 22],
    );
    assert.deepEqual(
      suggestCategories(text, [...categories].reverse()).map((s) => s.id),
      [21, 22],
    );
    assert.equal(suggestCategories('垃圾 杂物 噪音 商贩 物业费 路灯', categories, 2).length, 2);
    assert.equal(suggestCategories('垃圾 杂物 噪音 商贩 物业费 路灯', categories).length, 3);
    assert.ok(suggestCategories('环境卫生 市容秩序 物业管理', categories).every((s) => s.id > 10));
  });

  test('nothing to suggest for unrelated text or empty input', () => {
    assert.deepEqual(suggestCategories('今天天气很好', categories), []);
    assert.deepEqual(suggestCategories('', categories), []);
    assert.deepEqual(suggestCategories('垃圾', []), []);
    assert.deepEqual(suggestCategories('垃圾', categories, 0), []);
  });
});
