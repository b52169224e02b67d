/**
 * How the H5 reads the territory: a home is a chain of units from the top of the tree down to the
 * resident's entrance (or building, compound, grid). Residents think in community → compound → building →
 * entrance; the grid is where the home belongs, not part of the address.
 */
import { loadPlaces, type Me, type Place, type PlaceRef } from './api/session.ts';

export const REGION_KINDS = new Set(['city', 'district', 'street', 'town']);
export const COMMUNITY_KINDS = new Set(['community', 'village']);
/** Where the server accepts a home (src/server/modules/me/me.schema.ts HOME_KINDS). */
export const HOME_KINDS = new Set(['grid', 'compound', 'building', 'entrance']);

/** First sign-in, or a record without a home: ask for name and address before anything else. */
export const needsProfile = (me: Me) => !me.person || me.home.length === 0;

export const communityOf = (chain: PlaceRef[]) => chain.find((p) => COMMUNITY_KINDS.has(p.kind)) ?? null;
export const streetOf = (chain: PlaceRef[]) => chain.find((p) => p.kind === 'street' || p.kind === 'town') ?? null;

/** "体育场社区 体育场家属院 1号楼 1单元": from the community down, the grid only when it is the home itself. */
export function addressOf(chain: PlaceRef[]): string {
  const from = chain.findIndex((p) => COMMUNITY_KINDS.has(p.kind));
  const below = from < 0 ? chain : chain.slice(from);
  return below
    .filter((p, i) => p.kind !== 'grid' || i === below.length - 1)
    .map((p) => p.name)
    .join(' ');
}

/** The community (its id unknown when a compound was found by search) and the places chosen below it. */
export interface HomeChoice {
  community: { id: number | null; name: string } | null;
  steps: Place[];
}

export function choiceFromChain(chain: PlaceRef[]): HomeChoice {
  const community = communityOf(chain);
  if (!community) return { community: null, steps: [] };
  const below = chain.slice(chain.indexOf(community) + 1);
  const steps = below.filter((p, i) => p.kind !== 'grid' || i === below.length - 1);
  return {
    community: { id: community.id, name: community.name },
    steps: steps.map((p, i) => ({ ...p, hasChildren: i < steps.length - 1 })),
  };
}

/** Done when the last place chosen is a home and nothing lies below it. */
export function isComplete(choice: HomeChoice): boolean {
  const last = choice.steps[choice.steps.length - 1];
  return Boolean(choice.community && last && !last.hasChildren && HOME_KINDS.has(last.kind));
}

/** The compounds of a community, whichever of its grids they lie in; its grids when it has no compounds. */
export async function placesBelowCommunity(communityId: number): Promise<Place[]> {
  const { items: children } = await loadPlaces(communityId);
  const compounds = children.filter((p) => p.kind === 'compound');
  const grids = children.filter((p) => p.kind === 'grid');
  const inGrids = await Promise.all(grids.filter((g) => g.hasChildren).map((g) => loadPlaces(g.id)));
  for (const { items } of inGrids) compounds.push(...items.filter((p) => p.kind === 'compound'));
  if (compounds.length > 0) return compounds;
  return grids.map((g) => ({ ...g, hasChildren: false }));
}
