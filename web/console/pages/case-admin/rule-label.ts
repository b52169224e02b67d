import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseType, CategoryNode, TimeLimit } from '../../api/case-config.ts';
import { localName } from './format.ts';

/**
 * How a rule's target reads: 群众诉求 · 物业管理 / 小区停车 · 紧急, with "any" for what it leaves open; names in
 * the interface language where the tree has them (a rule carries only the Chinese ones).
 */
export function useRuleLabel(caseTypes: CaseType[] | undefined, tree: CategoryNode[] | undefined) {
  const { t, i18n } = useTranslation();
  const categories = useMemo(() => {
    const map = new Map<number, { name: string; nameEn: string; parentId: number | null }>();
    for (const root of tree ?? []) {
      map.set(root.id, root);
      for (const child of root.children) map.set(child.id, child);
    }
    return map;
  }, [tree]);
  const typeName = (code: string) => {
    const type = caseTypes?.find((c) => c.code === code);
    return type ? localName(type, i18n.language) : code;
  };
  const categoryName = (rule: Pick<TimeLimit, 'category'>) => {
    if (!rule.category) return t('caseAdmin.timeLimits.anyCategory');
    const node = categories.get(rule.category.id);
    const parent = node?.parentId ? categories.get(node.parentId) : undefined;
    const name = node ? localName(node, i18n.language) : rule.category.name;
    const parentName = parent ? localName(parent, i18n.language) : rule.category.parentName;
    return parentName ? `${parentName} / ${name}` : name;
  };
  const urgencyName = (rule: Pick<TimeLimit, 'urgency'>) =>
    rule.urgency ? t(`caseTerms.urgency.${rule.urgency}`) : t('caseAdmin.timeLimits.anyUrgency');
  return {
    typeName,
    categoryName,
    urgencyName,
    label: (rule: TimeLimit) => [typeName(rule.caseType), categoryName(rule), urgencyName(rule)].join(' · '),
  };
}
