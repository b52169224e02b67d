import { add_word, cut, cut_for_search } from 'jieba-wasm';
import { type Expression, type RawBuilder, sql } from 'kysely';

/**
 * Chinese full-text search that behaves the same on PostgreSQL 15 and PGlite, neither of which has a Chinese
 * parser: text is segmented here with jieba, and the database only stores and compares the lexemes.
 *
 * The database's text-search parser is never involved. The vector is written as a `tsvector` literal
 * (`'垃圾':1A '清运':2A …`) and the query as a `tsquery` literal (`'垃圾' & '清':*`), both built here with every
 * lexeme quoted and escaped and both sent as bound parameters, then cast. So each jieba token is exactly one
 * lexeme (to_tsvector('simple', …) would split `covid-19` or `3.5` into pieces and re-split quoted query words),
 * no text configuration, locale or server version changes the result, and user input can never become
 * tsquery operators.
 *
 * Documents are indexed with jieba's search mode (a long word plus the dictionary words inside it:
 * 垃圾清运 → 垃圾, 清运, 垃圾清运). Queries are cut in the coarse mode and each query word matches either itself
 * or all the dictionary words inside it, so 垃圾清运 also finds “垃圾三天没人清运”. Words of a query are ANDed.
 * The last word is a prefix (垃圾清 finds 垃圾清运) unless the query ends in a space or punctuation, i.e. the
 * user has finished typing it. Not found: a word hidden inside another one (修 does not find 维修), since
 * single characters are not indexed on their own.
 */

/** Input beyond this many characters is not indexed (a 20,000-character text segments in about 20 ms). */
export const MAX_SEGMENT_CHARS = 20_000;
/** Longer tokens (runs of latin letters or digits without a break) are dropped: nobody searches for them. */
const MAX_TOKEN_CHARS = 64;
/** At most this many words of a query are used. */
const MAX_QUERY_WORDS = 32;
/** PostgreSQL keeps positions 1..16383 and at most 256 of them per lexeme. */
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;

/** Words of grassroots governance that the general dictionary would cut apart. */
export const DOMAIN_WORDS: readonly string[] = [
  '网格员',
  '网格长',
  '物业费',
  '垃圾清运',
  '占道经营',
  '噪音扰民',
  '红色物业',
  '一键呼叫',
  '吹哨报到',
  '接诉即办',
  '高空抛物',
  '私搭乱建',
  '飞线充电',
  '楼道堆物',
  '加装电梯',
  '老旧小区',
  '独居老人',
  '群租房',
  '充电桩',
  '业委会',
];

/** Function words that carry no meaning for search; dropped from documents and queries alike. */
const STOP_WORDS: ReadonlySet<string> = new Set([
  '的',
  '地',
  '得',
  '了',
  '着',
  '过',
  '是',
  '在',
  '和',
  '与',
  '及',
  '以及',
  '等',
  '也',
  '都',
  '就',
  '而',
  '或',
  '或者',
  '被',
  '把',
  '对',
  '从',
  '向',
  '之',
  '其',
  '这',
  '那',
  '这个',
  '那个',
  '并',
  '且',
  '于',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '嘛',
  '哦',
]);

let loaded = false;
/**
 * Builds jieba's dictionary (about a quarter of a second, once per process) and adds DOMAIN_WORDS. Runs on first
 * use; call it at start-up to keep that off the first request.
 */
export function warmUpSegmenter(): void {
  if (loaded) return;
  for (const word of DOMAIN_WORDS) add_word(word);
  loaded = true;
}

const WORDLIKE = /[\p{L}\p{N}]/u;
const CONTROL = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/gu;
const FORMAT = /\p{Cf}/gu;
const ENDS_OPEN = /[\p{L}\p{N}]$/u;

/** NFKC (full-width letters and digits become ASCII), control characters out, length bounded. */
function prepare(text: string): string {
  warmUpSegmenter();
  const bounded = text.length > MAX_SEGMENT_CHARS ? text.slice(0, MAX_SEGMENT_CHARS) : text;
  const clean = bounded.toWellFormed().normalize('NFKC').replace(CONTROL, ' ').replace(FORMAT, '');
  return clean.length > MAX_SEGMENT_CHARS ? clean.slice(0, MAX_SEGMENT_CHARS).toWellFormed() : clean;
}

/** A jieba token as a lexeme, or null for whitespace, punctuation, symbols, stop words and overlong runs. */
function lexeme(token: string): string | null {
  const word = token.trim().toLowerCase();
  if (word.length === 0 || word.length > MAX_TOKEN_CHARS) return null;
  if (!WORDLIKE.test(word) || STOP_WORDS.has(word)) return null;
  return word;
}

function lexemes(tokens: string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const word = lexeme(token);
    if (word !== null) out.push(word);
  }
  return out;
}

/**
 * The searchable words of a text, in order, repeats kept: jieba's search mode (HMM on) after NFKC, lower-cased,
 * without whitespace, punctuation, symbols and stop words. Numbers and latin words are kept whole
 * (`covid-19`, `3.5`, `12345`). Only the first MAX_SEGMENT_CHARS characters are read.
 */
export function segment(text: string): string[] {
  const prepared = prepare(text);
  return prepared.trim() === '' ? [] : lexemes(cut_for_search(prepared, true));
}

/** A lexeme quoted for tsvector/tsquery input: inside quotes a backslash escapes and a quote is doubled. */
function quote(word: string): string {
  return `'${word.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * The tsvector of a case as text in PostgreSQL's tsvector input format: title words weighted A, description
 * words B, positions in reading order (the description starts one position after the title ends).
 */
export function searchVectorText(title: string, description: string): string {
  const positions = new Map<string, string[]>();
  let position = 0;
  const add = (words: string[], weight: 'A' | 'B') => {
    for (const word of words) {
      position = Math.min(position + 1, MAX_POSITION);
      let list = positions.get(word);
      if (!list) {
        list = [];
        positions.set(word, list);
      }
      if (list.length < MAX_POSITIONS_PER_LEXEME) list.push(`${position}${weight}`);
    }
  };
  add(segment(title), 'A');
  position += 1;
  add(segment(description), 'B');
  const parts: string[] = [];
  for (const [word, list] of positions) parts.push(`${quote(word)}:${list.join(',')}`);
  return parts.join(' ');
}

/**
 * The value of a `tsvector` search column for a title and description, for `.values({ search: … })` and
 * `.set({ search: … })`. (Typed as string because the column's insert type is; it is a cast tsvector.)
 */
export function searchVectorSql(title: string, description: string): RawBuilder<string> {
  return sql<string>`cast(${searchVectorText(title, description)} as tsvector)`;
}

/**
 * The tsquery of a user's search text as text in PostgreSQL's tsquery input format, or null when the text has
 * nothing searchable (empty, punctuation, stop words only). Every word is a quoted lexeme; the only operators
 * are the ones written here.
 */
export function searchQueryText(q: string): string | null {
  const prepared = prepare(q);
  if (prepared.trim() === '') return null;
  const words = [...new Set(lexemes(cut(prepared, true)))].slice(0, MAX_QUERY_WORDS);
  if (words.length === 0) return null;
  const open = ENDS_OPEN.test(prepared);
  const clauses = words.map((word, index) => {
    const term = quote(word) + (open && index === words.length - 1 ? ':*' : '');
    const parts = [...new Set(lexemes(cut_for_search(word, true)))].filter((part) => part !== word);
    return parts.length === 0 ? term : `(${term} | ${parts.map(quote).join(' & ')})`;
  });
  return clauses.join(' & ');
}

/** The tsquery of a user's search text (see searchQueryText), or null when there is nothing to search for. */
export function searchQuerySql(q: string): RawBuilder<unknown> | null {
  const text = searchQueryText(q);
  return text === null ? null : sql`cast(${text} as tsquery)`;
}

/** `column @@ query`, for `.where(…)`; `column` is a reference such as 'cases.search'. */
export function searchMatchSql(column: string, query: Expression<unknown>): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} @@ ${query}`;
}

/**
 * Relevance for ordering (higher first): cover density, a title (A) word counting 1.0 and a description (B)
 * word 0.4, divided by 1 + log of the document length so that long descriptions do not win by volume.
 */
export function searchRankSql(column: string, query: Expression<unknown>): RawBuilder<number> {
  return sql<number>`ts_rank_cd('{0.1,0.2,0.4,1.0}'::float4[], ${sql.ref(column)}, ${query}, 1)`;
}
