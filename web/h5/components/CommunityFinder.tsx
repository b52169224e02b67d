import { Button, List, SearchBar } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadPlaces, type Place, searchPlaces } from '../api/session.ts';
import { describeError } from '../errors.ts';
import { COMMUNITY_KINDS, REGION_KINDS } from '../places.ts';
import { Loading } from './Loading.tsx';

/**
 * Finds the resident's community: type part of the community's or compound's name, or walk down from the
 * district through the streets. Choosing a community, village or compound hands it to `onChoose`.
 */
export function CommunityFinder({ onChoose }: { onChoose(place: Place): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [trail, setTrail] = useState<Place[]>([]);
  /** How deep the finder stepped by itself (into a lone city): going up stops there. */
  const [floor, setFloor] = useState(0);
  const [items, setItems] = useState<Place[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const query = text.trim();
  const searching = query.length >= 2;
  const parentId = trail[trail.length - 1]?.id ?? null;
  const depth = trail.length;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new attempt (retry) loads the list again
  useEffect(() => {
    let live = true;
    setItems(null);
    setError(null);
    // Typing waits a moment so that each keystroke does not ask the server.
    const timer = setTimeout(
      async () => {
        try {
          const found = searching ? (await searchPlaces(query)).items : (await loadPlaces(parentId)).items;
          if (!live) return;
          const only = found[0];
          // A single city or district at the top: step into it rather than make the resident tap it.
          if (!searching && found.length === 1 && only && REGION_KINDS.has(only.kind) && only.hasChildren) {
            setTrail((trail) => [...trail, only]);
            setFloor(depth + 1);
            return;
          }
          setItems(found.filter((p) => searching || REGION_KINDS.has(p.kind) || COMMUNITY_KINDS.has(p.kind)));
        } catch (e) {
          if (live) setError(e);
        }
      },
      searching ? 300 : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [searching, query, parentId, depth, attempt]);

  const describe = (place: Place) => {
    if (!place.within) return undefined;
    // The city is the same for everyone; the street and community tell namesakes apart.
    return place.within.slice(1).join(' · ');
  };

  return (
    <div className="h5-finder">
      <div className="h5-finder-search">
        <SearchBar
          aria-label={t('picker.search')}
          placeholder={t('picker.search')}
          value={text}
          onChange={setText}
          onClear={() => setText('')}
        />
      </div>
      {!searching && trail.length > 0 ? (
        <div className="h5-finder-trail">
          {trail.length > floor ? (
            <Button size="small" fill="none" color="primary" onClick={() => setTrail((trail) => trail.slice(0, -1))}>
              ‹ {t('picker.up')}
            </Button>
          ) : null}
          <span>{trail.map((p) => p.name).join(' › ')}</span>
        </div>
      ) : null}
      {error ? (
        <div className="h5-empty">
          <p>{describeError(t, error)}</p>
          <Button color="primary" onClick={() => setAttempt((n) => n + 1)}>
            {t('app.retry')}
          </Button>
        </div>
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="h5-empty">{searching ? t('picker.noResults') : t('profile.noPlaces')}</p>
      ) : (
        <List>
          {items.map((place) => {
            const region = REGION_KINDS.has(place.kind);
            return (
              <List.Item
                key={place.id}
                description={describe(place)}
                arrowIcon={region}
                onClick={() => (region ? setTrail((trail) => [...trail, place]) : onChoose(place))}
              >
                <span className="h5-place-name">{place.name}</span>
              </List.Item>
            );
          })}
        </List>
      )}
    </div>
  );
}
