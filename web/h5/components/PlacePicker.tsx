import { Button, List, Popup } from 'antd-mobile';
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadPlaces, type Place } from '../api/session.ts';
import { describeError } from '../errors.ts';
import { COMMUNITY_KINDS, type HomeChoice, isComplete, placesBelowCommunity } from '../places.ts';
import { CommunityFinder } from './CommunityFinder.tsx';
import { CheckIcon } from './icons.tsx';
import { Loading } from './Loading.tsx';

/** What comes below a place of each kind, for the label of a row not chosen yet. */
const NEXT_KIND: Record<string, string> = { compound: 'building', building: 'entrance' };
const LABELLED = new Set(['community', 'village', 'grid', 'compound', 'building', 'entrance']);

export interface PlacePickerProps {
  value: HomeChoice;
  onChange(choice: HomeChoice): void;
  header?: ReactNode;
}

/**
 * The home picked step by step: the community (found by name or by street), then its compound, building
 * and entrance. One row per level; tapping a row lists that level in a sheet, and choosing a place opens
 * the next level until nothing lies below.
 */
export function PlacePicker({ value, onChange, header }: PlacePickerProps) {
  const { t } = useTranslation();
  const cache = useRef(new Map<string, Place[]>());
  /** The open sheet: 0 = community, n = the n-th step below it. */
  const [open, setOpen] = useState<number | null>(null);
  const [items, setItems] = useState<Place[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const label = (kind: string) => t(`picker.${LABELLED.has(kind) ? kind : 'place'}`);

  async function openLevel(level: number, choice: HomeChoice) {
    const communityId = choice.community?.id ?? null;
    const parent = level === 1 ? null : (choice.steps[level - 2] ?? null);
    // A compound found by search has no known community id: choosing it again starts from the community.
    if (level === 0 || (!parent && communityId === null)) {
      setOpen(0);
      return;
    }
    setOpen(level);
    setError(null);
    const key = parent ? `p${parent.id}` : `c${communityId}`;
    const cached = cache.current.get(key);
    setItems(cached ?? null);
    if (cached) return;
    try {
      const loaded = parent ? (await loadPlaces(parent.id)).items : await placesBelowCommunity(communityId ?? 0);
      cache.current.set(key, loaded);
      setItems(loaded);
    } catch (e) {
      setError(e);
    }
  }

  function chooseCommunity(place: Place) {
    if (COMMUNITY_KINDS.has(place.kind)) {
      const next = { community: { id: place.id, name: place.name }, steps: [] };
      onChange(next);
      void openLevel(1, next);
      return;
    }
    // A compound from the search: its community is known by name only (compounds lie in grids, so the
    // community is the name before the last).
    const within = place.within ?? [];
    const next = { community: { id: null, name: within[within.length - 2] ?? within[0] ?? '' }, steps: [place] };
    onChange(next);
    if (place.hasChildren) void openLevel(2, next);
    else setOpen(null);
  }

  function chooseStep(level: number, place: Place) {
    const next = { community: value.community, steps: [...value.steps.slice(0, level - 1), place] };
    onChange(next);
    if (place.hasChildren) void openLevel(level + 1, next);
    else setOpen(null);
  }

  const complete = isComplete(value);
  const rows: Array<{ level: number; kind: string; name: string | undefined }> = [
    { level: 0, kind: 'community', name: value.community?.name },
    ...value.steps.map((p, i) => ({ level: i + 1, kind: p.kind, name: p.name })),
  ];
  if (value.community && !complete) {
    const last = value.steps[value.steps.length - 1];
    // Once the level is loaded its places say what it is (a village offers grids, not compounds).
    const loaded = cache.current.get(last ? `p${last.id}` : `c${value.community.id}`)?.[0]?.kind;
    const kind = loaded ?? (last ? (NEXT_KIND[last.kind] ?? 'place') : 'compound');
    rows.push({ level: rows.length, kind, name: undefined });
  }
  const openKind = open === 0 ? 'community' : (items?.[0]?.kind ?? rows[open ?? 0]?.kind ?? 'place');

  return (
    <>
      <List className="h5-place-picker" header={header}>
        {rows.map((row) => (
          <List.Item
            key={row.level}
            title={label(row.kind)}
            onClick={() => void openLevel(row.level, value)}
            extra={row.name ? t('profile.change') : undefined}
          >
            {row.name ? (
              <span className="h5-place-value">{row.name}</span>
            ) : (
              <span className="h5-place-empty">{t('profile.choose')}</span>
            )}
          </List.Item>
        ))}
      </List>
      <Popup
        visible={open !== null}
        onMaskClick={() => setOpen(null)}
        onClose={() => setOpen(null)}
        bodyClassName="h5-sheet"
        destroyOnClose
      >
        <div className="h5-sheet-head">
          <h3>{t('picker.selectTitle', { level: label(openKind) })}</h3>
          <Button fill="none" size="small" onClick={() => setOpen(null)}>
            {t('picker.cancel')}
          </Button>
        </div>
        <div className="h5-sheet-body">
          {open === 0 ? (
            <CommunityFinder onChoose={chooseCommunity} />
          ) : error ? (
            <div className="h5-empty">
              <p>{describeError(t, error)}</p>
              <Button
                color="primary"
                onClick={() => {
                  if (open !== null) void openLevel(open, value);
                }}
              >
                {t('app.retry')}
              </Button>
            </div>
          ) : !items ? (
            <Loading />
          ) : items.length === 0 ? (
            <p className="h5-empty">{t('profile.noPlaces')}</p>
          ) : (
            <List>
              {items.map((place) => (
                <List.Item
                  key={place.id}
                  arrowIcon={place.hasChildren}
                  extra={open !== null && value.steps[open - 1]?.id === place.id ? <CheckIcon /> : undefined}
                  onClick={() => {
                    if (open !== null) chooseStep(open, place);
                  }}
                >
                  {place.name}
                </List.Item>
              ))}
            </List>
          )}
        </div>
      </Popup>
    </>
  );
}
