import { Button, List, Popup } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CategoryNode, type CategoryRef, categoryTree, suggestCategories } from '../../api/cases.ts';
import { caseErrorText } from './format.ts';

export interface CategoryFieldProps {
  /** The report text the suggestions come from. */
  text: string;
  value: CategoryRef | null;
  onChange(value: CategoryRef | null): void;
}

const SUGGEST_DELAY_MS = 500;

/**
 * The category, suggested from the text as the resident types (tap a chip to choose it), or chosen from the
 * whole two-level tree; the resident may change or clear it. Staff confirm it later either way.
 */
export function CategoryField({ text, value, onChange }: CategoryFieldProps) {
  const { t, i18n } = useTranslation();
  const [suggested, setSuggested] = useState<CategoryRef[]>([]);
  const [suggesting, setSuggesting] = useState(false);
  const [picking, setPicking] = useState(false);
  const trimmed = text.trim();

  useEffect(() => {
    if ([...trimmed].length < 2) {
      setSuggested([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSuggesting(true);
      suggestCategories(trimmed.slice(0, 2000), 3, { signal: controller.signal }).then(
        ({ items }) => {
          setSuggested(items.map(({ id, name, parentName }) => ({ id, name, parentName })));
          setSuggesting(false);
        },
        () => {
          // A stale request cancelled, or suggestions unavailable: the resident can still pick by hand.
          if (!controller.signal.aborted) setSuggesting(false);
        },
      );
    }, SUGGEST_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [trimmed]);

  const chips = value && !suggested.some((s) => s.id === value.id) ? [value, ...suggested] : suggested;

  return (
    <div className="h5-category-field">
      <p className="h5-field-hint" aria-live="polite">
        {suggesting
          ? t('cases.report.categorySuggesting')
          : chips.length > 0
            ? t('cases.report.categoryHint')
            : t('cases.report.categoryNone')}
      </p>
      {chips.length > 0 ? (
        <ul className="h5-chips" aria-label={t('cases.report.category')}>
          {chips.map((category) => {
            const chosen = value?.id === category.id;
            return (
              <li key={category.id}>
                <button
                  type="button"
                  className={chosen ? 'h5-chip h5-chip-chosen' : 'h5-chip'}
                  aria-pressed={chosen}
                  data-category-id={category.id}
                  onClick={() => onChange(chosen ? null : category)}
                >
                  {category.parentName ? <small className="h5-chip-parent">{category.parentName} · </small> : null}
                  {category.name}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <div className="h5-inline-actions">
        <Button size="small" fill="outline" onClick={() => setPicking(true)}>
          {t('cases.report.categoryOther')}
        </Button>
        {value ? (
          <Button size="small" fill="none" onClick={() => onChange(null)}>
            {t('cases.report.categoryClear')}
          </Button>
        ) : null}
      </div>
      <CategoryPicker
        visible={picking}
        english={i18n.language === 'en-US'}
        onClose={() => setPicking(false)}
        onPick={(category) => {
          onChange(category);
          setPicking(false);
        }}
      />
    </div>
  );
}

interface PickerProps {
  visible: boolean;
  english: boolean;
  onClose(): void;
  onPick(category: CategoryRef): void;
}

/** The whole tree in a sheet: first the top level, then the categories under the one tapped. */
function CategoryPicker({ visible, english, onClose, onPick }: PickerProps) {
  const { t } = useTranslation();
  const [tree, setTree] = useState<CategoryNode[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [parent, setParent] = useState<CategoryNode | null>(null);
  const nameOf = (c: { name: string; nameEn: string }) => (english && c.nameEn ? c.nameEn : c.name);
  const close = () => {
    setParent(null);
    onClose();
  };
  const pick = (category: CategoryRef) => {
    setParent(null);
    onPick(category);
  };

  useEffect(() => {
    if (!visible || tree) return;
    let live = true;
    categoryTree().then(
      ({ items }) => live && setTree(items.filter((c) => c.active && c.children.length > 0)),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [visible, tree]);

  return (
    <Popup visible={visible} onMaskClick={close} onClose={close} bodyClassName="h5-sheet" destroyOnClose>
      <div className="h5-sheet-head">
        <h3>{parent ? nameOf(parent) : t('cases.report.categoryPick')}</h3>
        {parent ? (
          <Button fill="none" onClick={() => setParent(null)}>
            {t('picker.up')}
          </Button>
        ) : (
          <Button fill="none" onClick={close}>
            {t('picker.cancel')}
          </Button>
        )}
      </div>
      <div className="h5-sheet-body">
        {error ? <p className="h5-form-error">{caseErrorText(t, error)}</p> : null}
        {!tree && !error ? <p className="h5-empty">{t('app.loading')}</p> : null}
        {tree ? (
          <List>
            {parent
              ? parent.children
                  .filter((c) => c.active)
                  .map((child) => (
                    <List.Item
                      key={child.id}
                      onClick={() => pick({ id: child.id, name: nameOf(child), parentName: nameOf(parent) })}
                    >
                      {nameOf(child)}
                    </List.Item>
                  ))
              : tree.map((top) => (
                  <List.Item key={top.id} onClick={() => setParent(top)} arrowIcon>
                    {nameOf(top)}
                  </List.Item>
                ))}
          </List>
        ) : null}
      </div>
    </Popup>
  );
}
