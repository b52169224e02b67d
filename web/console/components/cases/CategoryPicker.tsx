import { Cascader } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { categoryTreeNode, suggestResponse } from '../../../../src/server/modules/cases/case-config.schema.ts';
import { get, qs } from '../../../shared/api.ts';

export type CategoryNode = z.infer<typeof categoryTreeNode>;
export type CategorySuggestion = z.infer<typeof suggestResponse>['items'][number];

let catalogue: Promise<CategoryNode[]> | null = null;

/**
 * The active two-level category tree, fetched once and shared by every picker on every page (categories
 * change rarely and are the same for everyone). A failed fetch is forgotten so the next picker tries again.
 */
export function loadCategories(): Promise<CategoryNode[]> {
  if (!catalogue) {
    catalogue = get<{ items: CategoryNode[] }>('/api/case-categories').then(
      (body) => body.items,
      (error: unknown) => {
        catalogue = null;
        throw error;
      },
    );
  }
  return catalogue;
}

/** Forget the cached tree (after an administrator changed categories, or on signing out). */
export function forgetCategories() {
  catalogue = null;
}

/** Second-level categories that fit a report text, best first. */
export const suggestCategories = (text: string, limit = 3) =>
  get<{ items: CategorySuggestion[] }>(`/api/case-categories/suggest${qs({ text, limit })}`).then((b) => b.items);

interface Option {
  value: number;
  label: string;
  /** Name, English name, code and keywords, lower-cased: what a search matches. */
  search: string;
  children?: Option[];
}

export interface CategoryPickerProps {
  /** The chosen category id: a second-level one, or a first-level one when `allowParent`. */
  value?: number;
  onChange?(id?: number): void;
  /** A first-level category may be chosen too (filters: "everything under 市容环境"). */
  allowParent?: boolean;
  placeholder?: string;
  id?: string;
  disabled?: boolean;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'data-testid'?: string;
}

/**
 * The category picker: two levels from GET /api/case-categories, searchable by name and keywords, giving
 * the id of the chosen category. Works as an antd Form control (value / onChange).
 */
export function CategoryPicker({
  value,
  onChange,
  allowParent = false,
  placeholder,
  id,
  disabled,
  allowClear = true,
  style,
  'data-testid': testId,
}: CategoryPickerProps) {
  const { t, i18n } = useTranslation();
  const [tree, setTree] = useState<CategoryNode[]>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    loadCategories().then(
      (items) => live && setTree(items),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);

  const english = i18n.language === 'en-US';
  const options = useMemo<Option[]>(() => {
    const toOption = (c: Omit<CategoryNode, 'children'>) => ({
      value: c.id,
      label: english ? c.nameEn || c.name : c.name,
      search: [c.name, c.nameEn, c.code, ...c.keywords].join(' ').toLowerCase(),
    });
    return (tree ?? [])
      .filter((parent) => allowParent || parent.children.length > 0)
      .map((parent) => ({ ...toOption(parent), children: parent.children.map(toOption) }));
  }, [tree, english, allowParent]);

  /** The path [parent, child] (or [parent]) of the chosen id, for the Cascader. */
  const path = useMemo(() => {
    if (value === undefined || value === null) return undefined;
    for (const parent of options) {
      if (parent.value === value) return [parent.value];
      const child = parent.children?.find((c) => c.value === value);
      if (child) return [parent.value, child.value];
    }
    return undefined;
  }, [value, options]);

  return (
    <Cascader<Option>
      id={id}
      data-testid={testId}
      style={{ width: '100%', ...style }}
      options={options}
      value={path}
      loading={!tree && !failed}
      disabled={disabled}
      allowClear={allowClear}
      changeOnSelect={allowParent}
      expandTrigger="hover"
      placeholder={failed ? t('errors.NETWORK') : (placeholder ?? t('intake.category.placeholder'))}
      status={failed ? 'error' : undefined}
      displayRender={(labels) => labels.join(' / ')}
      showSearch={{
        filter: (input, chain) => {
          const words = input.trim().toLowerCase().split(/\s+/).filter(Boolean);
          const text = chain.map((o) => o.search).join(' ');
          return words.every((w) => text.includes(w));
        },
        render: (_input, chain) => chain.map((o) => o.label).join(' / '),
      }}
      onChange={(next) => {
        const ids = (next ?? []) as number[];
        onChange?.(ids.length ? ids[ids.length - 1] : undefined);
      }}
    />
  );
}
