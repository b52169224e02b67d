import { segment } from './segment.ts';

export interface CategoryForSuggestion {
  id: number;
  name: string;
  keywords: string[];
  parentId: number | null;
}

export interface CategorySuggestion {
  id: number;
  score: number;
}

/** Report text; a title counts twice as much as the description. */
export type SuggestionText = string | { title: string; description: string };

const KEYWORD_WEIGHT = 3;
const NAME_WORD_WEIGHT = 1;
/** Added to a second-level category with its own hits when its parent's name or keywords occur too. */
const PARENT_WEIGHT = 1;
const TITLE_FACTOR = 2;

const HAS_CJK = /[\p{Script=Han}]/u;

interface Field {
  /** Normalised text without whitespace, for finding Chinese phrases as written. */
  compact: string;
  words: Set<string>;
  factor: number;
}

function compact(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

function field(text: string, factor: number): Field {
  return { compact: compact(text), words: new Set(segment(text)), factor };
}

/**
 * How strongly a phrase occurs in the text: the factor of the best field it occurs in, 0 if none. A phrase
 * occurs when all its words are among the field's words, or (for Chinese) when the field contains it as
 * written, so the keyword 垃圾 is found in 垃圾桶 and 乱扔垃圾 in 有人乱扔垃圾. Latin phrases need whole words.
 */
function occurrence(phrase: string, fields: Field[]): number {
  const words = segment(phrase);
  const written = compact(phrase);
  if (words.length === 0 && written === '') return 0;
  let best = 0;
  for (const f of fields) {
    const found =
      (words.length > 0 && words.every((word) => f.words.has(word))) ||
      (HAS_CJK.test(written) && f.compact.includes(written));
    if (found) best = Math.max(best, f.factor);
  }
  return best;
}

/** Sum over the distinct keywords that occur, plus the name as a keyword; then name words that occur. */
function ownScore(category: CategoryForSuggestion, fields: Field[]): number {
  let score = 0;
  const phrases = new Set([category.name, ...category.keywords].map((k) => k.trim()).filter((k) => k !== ''));
  for (const phrase of phrases) score += KEYWORD_WEIGHT * occurrence(phrase, fields);
  for (const word of new Set(segment(category.name))) score += NAME_WORD_WEIGHT * occurrence(word, fields);
  return score;
}

/**
 * Second-level categories that fit a report's text, best first, at most `limit`: each distinct keyword (or the
 * category's full name) found in the text scores 3, each word of the category's name found scores 1, a title hit
 * counts twice, and a category whose parent's name or keywords occur gets 1 more. Only categories with a hit of
 * their own are suggested. Deterministic: equal scores are ordered by id.
 */
export function suggestCategories(
  text: SuggestionText,
  categories: CategoryForSuggestion[],
  limit = 3,
): CategorySuggestion[] {
  if (limit <= 0) return [];
  const fields =
    typeof text === 'string' ? [field(text, 1)] : [field(text.title, TITLE_FACTOR), field(text.description, 1)];
  const byId = new Map(categories.map((c) => [c.id, c]));
  const parentHit = new Map<number, boolean>();
  const suggestions: CategorySuggestion[] = [];
  for (const category of categories) {
    if (category.parentId === null) continue;
    const own = ownScore(category, fields);
    if (own === 0) continue;
    let bonus = 0;
    const parent = byId.get(category.parentId);
    if (parent) {
      let hit = parentHit.get(parent.id);
      if (hit === undefined) {
        hit = [parent.name, ...parent.keywords].some((p) => p.trim() !== '' && occurrence(p.trim(), fields) > 0);
        parentHit.set(parent.id, hit);
      }
      if (hit) bonus = PARENT_WEIGHT;
    }
    suggestions.push({ id: category.id, score: own + bonus });
  }
  suggestions.sort((a, b) => b.score - a.score || a.id - b.id);
  return suggestions.slice(0, limit);
}
