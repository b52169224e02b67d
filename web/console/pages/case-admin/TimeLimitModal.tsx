import { Alert, App, Col, Form, Modal, Row, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseType, CategoryNode, TimeLimit } from '../../api/case-config.ts';
import { upsertTimeLimit } from '../../api/case-config.ts';
import type { Urgency } from '../../api/cases.ts';
import { CategorySelect } from './CategorySelect.tsx';
import { type Change, ChangeList } from './ChangeList.tsx';
import { DurationInput } from './DurationInput.tsx';
import { localName, useWorkingTime } from './format.ts';
import { useRuleLabel } from './rule-label.ts';
import { isVersionConflict, useServerErrors } from './server-errors.ts';

/** A rule to change, or a new one (optionally for a type already chosen in the filter). */
export type TimeLimitTarget = { rule: TimeLimit } | { caseType?: string };

const URGENCIES: Urgency[] = ['normal', 'urgent', 'critical'];
const ANY = 'any';
/** The API's bound on each limit (100 working days of 8 hours). */
const MAX_MINUTES = 48_000;
const LIMITS = ['responseMinutes', 'resolutionMinutes', 'visitMinutes'] as const;
type LimitField = (typeof LIMITS)[number];

interface Values {
  caseType: string;
  categoryId: number | null;
  urgency: Urgency | typeof ANY;
  responseMinutes: number | null;
  resolutionMinutes: number | null;
  visitMinutes: number | null;
}

const sameTarget = (r: TimeLimit, caseType: string, categoryId: number | null, urgency: Urgency | null) =>
  r.caseType === caseType && (r.category?.id ?? null) === categoryId && r.urgency === urgency;

/**
 * Add a rule or change one. The API sets "the" rule of a type × category × urgency, so a new rule for a
 * combination that already has one changes it: the form says so and shows the old limits beside the new.
 */
export function TimeLimitModal({
  target,
  caseTypes,
  tree,
  rules,
  minutesPerDay,
  onClose,
  onSaved,
}: {
  target: TimeLimitTarget | undefined;
  caseTypes: CaseType[];
  tree: CategoryNode[];
  rules: TimeLimit[];
  minutesPerDay: number;
  onClose(): void;
  onSaved(): void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const placeError = useServerErrors();
  const names = useRuleLabel(caseTypes, tree);
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const editing = target && 'rule' in target ? target.rule : undefined;

  useEffect(() => {
    if (!target) return;
    setFailure(null);
    form.resetFields();
    if ('rule' in target) {
      const r = target.rule;
      form.setFieldsValue({
        caseType: r.caseType,
        categoryId: r.category?.id ?? null,
        urgency: r.urgency ?? ANY,
        responseMinutes: r.responseMinutes,
        resolutionMinutes: r.resolutionMinutes,
        visitMinutes: r.visitMinutes,
      });
    } else {
      form.setFieldsValue({ caseType: target.caseType ?? 'appeal', categoryId: null, urgency: ANY });
    }
  }, [target, form]);

  const urgencyOf = (v: Values['urgency'] | undefined) => (v === ANY || v === undefined ? null : v);
  const existing =
    editing ??
    (watched?.caseType
      ? rules.find((r) => sameTarget(r, watched.caseType!, watched.categoryId ?? null, urgencyOf(watched.urgency)))
      : undefined);
  const workingTime = useWorkingTime(minutesPerDay);
  const duration = (m: number | null | undefined) => (typeof m === 'number' ? workingTime(m) : '—');
  const shown: Change[] = existing
    ? LIMITS.filter((f) => typeof watched?.[f] === 'number' && watched[f] !== existing[f]).map((f) => ({
        key: f,
        label: t(`caseAdmin.timeLimits.fields.${f.replace('Minutes', '')}`),
        before: duration(existing[f]),
        after: duration(watched?.[f]),
      }))
    : [];

  const limitRules = [
    {
      validator: async (_: unknown, value: number | null | undefined) => {
        if (value === null || value === undefined) throw new Error(t('caseAdmin.timeLimits.limitRequired'));
        if (!Number.isInteger(value) || value < 1 || value > MAX_MINUTES)
          throw new Error(t('caseAdmin.timeLimits.limitRange', { max: duration(MAX_MINUTES) }));
      },
    },
  ];

  async function save(values: Values) {
    setSaving(true);
    setFailure(null);
    const urgency = urgencyOf(values.urgency);
    const categoryId = editing ? (editing.category?.id ?? null) : (values.categoryId ?? null);
    const before = editing ?? rules.find((r) => sameTarget(r, values.caseType, categoryId, urgency));
    try {
      const { timeLimit, created } = await upsertTimeLimit({
        caseType: values.caseType,
        categoryId,
        urgency,
        responseMinutes: values.responseMinutes as number,
        resolutionMinutes: values.resolutionMinutes as number,
        visitMinutes: values.visitMinutes as number,
        ...(before ? { version: before.version } : {}),
      });
      message.success(
        t(created ? 'caseAdmin.timeLimits.created' : 'caseAdmin.timeLimits.saved', { rule: names.label(timeLimit) }),
      );
      onSaved();
    } catch (error) {
      if (isVersionConflict(error)) {
        message.error(t('caseAdmin.versionConflict'));
        onSaved();
        return;
      }
      setFailure(placeError(form, error));
    } finally {
      setSaving(false);
    }
  }

  const unchanged = Boolean(existing) && shown.length === 0;
  const limitField = (field: LimitField) => (
    <Form.Item
      name={field}
      label={t(`caseAdmin.timeLimits.fields.${field.replace('Minutes', '')}`)}
      rules={limitRules}
      extra={t(`caseAdmin.timeLimits.help.${field.replace('Minutes', '')}`)}
    >
      <DurationInput minutesPerDay={minutesPerDay} />
    </Form.Item>
  );

  return (
    <Modal
      open={target !== undefined}
      title={editing ? t('caseAdmin.timeLimits.editTitle') : t('caseAdmin.timeLimits.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ disabled: unchanged }}
      confirmLoading={saving}
      width={680}
      destroyOnHidden
    >
      {failure && <Alert type="error" showIcon title={failure} className="form-alert" />}
      <Form<Values> form={form} layout="vertical" onFinish={save} data-testid="time-limit-form">
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item
              name="caseType"
              label={t('caseAdmin.timeLimits.fields.caseType')}
              rules={[{ required: true, message: t('caseAdmin.required') }]}
            >
              <Select
                disabled={Boolean(editing)}
                options={caseTypes.map((c) => ({ value: c.code, label: localName(c, i18n.language) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            {editing ? (
              <Form.Item label={t('caseAdmin.timeLimits.fields.category')}>
                <Typography.Text data-testid="rule-category">{names.categoryName(editing)}</Typography.Text>
              </Form.Item>
            ) : (
              <Form.Item
                name="categoryId"
                label={t('caseAdmin.timeLimits.fields.category')}
                extra={t('caseAdmin.timeLimits.help.category')}
              >
                <CategorySelect tree={tree} />
              </Form.Item>
            )}
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="urgency" label={t('caseAdmin.timeLimits.fields.urgency')}>
              <Select
                disabled={Boolean(editing)}
                options={[
                  { value: ANY, label: t('caseAdmin.timeLimits.anyUrgency') },
                  ...URGENCIES.map((u) => ({ value: u, label: t(`caseTerms.urgency.${u}`) })),
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
        {!editing && existing && (
          <Alert
            type="warning"
            showIcon
            className="form-alert"
            data-testid="rule-exists"
            title={t('caseAdmin.timeLimits.exists', { rule: names.label(existing) })}
          />
        )}
        {limitField('responseMinutes')}
        {limitField('resolutionMinutes')}
        {limitField('visitMinutes')}
        <button type="submit" className="implicit-submit" tabIndex={-1} aria-hidden />
      </Form>
      <ChangeList changes={shown} creating={!existing} />
    </Modal>
  );
}
