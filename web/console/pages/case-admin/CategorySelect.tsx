import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CategoryNode } from '../../api/case-config.ts';
import { localName } from './format.ts';

interface Props {
  tree: CategoryNode[];
  value?: number | null;
  onChange?(id: number | null): void;
  id?: string;
  placeholder?: string;
  loading?: boolean;
}

/** A category of either level, or none ("any category"); inactive ones are marked (old rules may name them). */
export function CategorySelect({ tree, value, onChange, id, placeholder, loading }: Props) {
  const { t, i18n } = useTranslation();
  const title = (c: { name: string; nameEn: string; active: boolean }) =>
    c.active ? localName(c, i18n.language) : t('caseAdmin.inactiveName', { name: localName(c, i18n.language) });
  return (
    <TreeSelect<number>
      id={id}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      allowClear
      loading={loading}
      placeholder={placeholder ?? t('caseAdmin.timeLimits.anyCategory')}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeData={tree.map((root) => ({
        value: root.id,
        title: title(root),
        children: root.children.map((c) => ({ value: c.id, title: title(c) })),
      }))}
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto', minWidth: 240 } } }}
    />
  );
}
