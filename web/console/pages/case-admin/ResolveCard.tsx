import { AimOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Descriptions, Form, Row, Select, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseType, type CategoryNode, resolveTimeLimit } from '../../api/case-config.ts';
import type { Urgency } from '../../api/cases.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { CategorySelect } from './CategorySelect.tsx';
import { localName, useWorkingTime } from './format.ts';
import { useRuleLabel } from './rule-label.ts';

const URGENCIES: Urgency[] = ['normal', 'urgent', 'critical'];

/**
 * 规则试算: which rule a case of this type × category × urgency gets — the server's choice (/resolve), the
 * same one intake makes — asked again whenever a choice or a rule changes; the rule is marked in the table.
 */
export function ResolveCard({
  caseTypes,
  tree,
  minutesPerDay,
  refreshKey,
  onResolved,
}: {
  caseTypes: CaseType[];
  tree: CategoryNode[];
  minutesPerDay: number;
  refreshKey: number;
  onResolved(id: number | null): void;
}) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const names = useRuleLabel(caseTypes, tree);
  const [caseType, setCaseType] = useState('appeal');
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const result = useLoad(
    () => resolveTimeLimit({ caseType, categoryId: categoryId ?? undefined, urgency }),
    [caseType, categoryId, urgency, refreshKey],
  );
  const rule = result.error ? undefined : result.data;
  useEffect(() => onResolved(rule?.id ?? null), [rule?.id, onResolved]);
  const duration = useWorkingTime(minutesPerDay);

  return (
    <Card
      size="small"
      className="resolve-card"
      title={
        <span>
          <AimOutlined /> {t('caseAdmin.resolve.title')}
        </span>
      }
    >
      <Form layout="vertical" className="resolve-form">
        <Row gutter={12}>
          <Col xs={24} sm={7}>
            <Form.Item label={t('caseAdmin.timeLimits.fields.caseType')} htmlFor="resolve-type">
              <Select
                id="resolve-type"
                value={caseType}
                onChange={setCaseType}
                options={caseTypes.map((c) => ({ value: c.code, label: localName(c, i18n.language) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item label={t('caseAdmin.timeLimits.fields.category')} htmlFor="resolve-category">
              <CategorySelect
                id="resolve-category"
                tree={tree}
                value={categoryId}
                onChange={setCategoryId}
                placeholder={t('caseAdmin.resolve.noCategory')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={7}>
            <Form.Item label={t('caseAdmin.timeLimits.fields.urgency')} htmlFor="resolve-urgency">
              <Select
                id="resolve-urgency"
                value={urgency}
                onChange={setUrgency}
                options={URGENCIES.map((u) => ({ value: u, label: t(`caseTerms.urgency.${u}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {result.error ? <Alert type="error" showIcon title={errorText(result.error)} /> : null}
      <Spin spinning={result.loading}>
        {rule && (
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, md: 4 }}
            data-testid="resolved-rule"
            data-rule-id={rule.id}
            className="resolved-rule"
          >
            <Descriptions.Item label={t('caseAdmin.resolve.applies')}>
              <span data-testid="resolved-label">{names.label(rule)}</span>
              {rule.catchAll && <Tag className="resolved-tag">{t('caseAdmin.timeLimits.catchAll')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('caseAdmin.timeLimits.fields.response')}>
              {duration(rule.responseMinutes)}
            </Descriptions.Item>
            <Descriptions.Item label={t('caseAdmin.timeLimits.fields.resolution')}>
              <span data-testid="resolved-resolution">{duration(rule.resolutionMinutes)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('caseAdmin.timeLimits.fields.visit')}>
              {duration(rule.visitMinutes)}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Spin>
    </Card>
  );
}
