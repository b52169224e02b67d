import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  categoryTree,
  deleteTimeLimit,
  getCalendar,
  listCaseTypes,
  listTimeLimits,
  type TimeLimit,
} from '../../api/case-config.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { localName, useWorkingTime } from './format.ts';
import { ResolveCard } from './ResolveCard.tsx';
import { useRuleLabel } from './rule-label.ts';
import { TimeLimitModal, type TimeLimitTarget } from './TimeLimitModal.tsx';

/** A working day's minutes until the calendar has answered (the default WORK_HOURS 09:00-17:00). */
const DEFAULT_MINUTES_PER_DAY = 480;

/**
 * Time-limit rules: response, resolution and visit limits per case type, category and urgency, in working
 * time; the most specific rule applies, which the preview shows for any combination.
 */
export function TimeLimitsTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [caseType, setCaseType] = useState<string>();
  const [tick, setTick] = useState(0);
  const [target, setTarget] = useState<TimeLimitTarget>();
  const [resolvedId, setResolvedId] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);

  const types = useLoad(listCaseTypes, []);
  const tree = useLoad(() => categoryTree(true), []);
  const calendar = useLoad(() => getCalendar(), []);
  // Every rule (a few dozen at most): the table shows one type's, the form checks for a rule already there.
  const rules = useLoad(() => listTimeLimits(), [tick]);
  const shownRules = (rules.data ?? []).filter((r) => !caseType || r.caseType === caseType);
  const perDay = calendar.data?.minutesPerWorkingDay ?? DEFAULT_MINUTES_PER_DAY;
  const duration = useWorkingTime(perDay);
  const names = useRuleLabel(types.data, tree.data);

  async function remove(rule: TimeLimit) {
    setDeleting(rule.id);
    try {
      await deleteTimeLimit(rule.id);
      message.success(t('caseAdmin.timeLimits.deleted', { rule: names.label(rule) }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setDeleting(null);
      setTick((n) => n + 1);
    }
  }

  const loadError = rules.error ?? types.error ?? tree.error;

  return (
    <div className="tab-body">
      <Typography.Paragraph type="secondary">
        {t('caseAdmin.timeLimits.intro', {
          workHours: calendar.data?.workHours ?? '—',
          perDay,
        })}
      </Typography.Paragraph>
      <ResolveCard
        caseTypes={types.data ?? []}
        tree={tree.data ?? []}
        minutesPerDay={perDay}
        refreshKey={tick}
        onResolved={setResolvedId}
      />
      <div className="toolbar">
        <div className="toolbar-filters">
          <Select<string>
            allowClear
            value={caseType}
            onChange={setCaseType}
            placeholder={t('caseAdmin.timeLimits.allTypes')}
            aria-label={t('caseAdmin.timeLimits.fields.caseType')}
            style={{ width: 200 }}
            options={(types.data ?? []).map((c) => ({ value: c.code, label: localName(c, i18n.language) }))}
          />
        </div>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setTarget({ caseType })}
          data-testid="add-time-limit"
        >
          {t('caseAdmin.timeLimits.add')}
        </Button>
      </div>
      {loadError ? (
        <Alert
          type="error"
          showIcon
          title={errorText(loadError)}
          action={<Button onClick={() => setTick((n) => n + 1)}>{t('common.retry')}</Button>}
        />
      ) : null}
      <Table<TimeLimit>
        rowKey="id"
        size="small"
        loading={rules.loading}
        dataSource={shownRules}
        pagination={false}
        scroll={{ x: 980 }}
        locale={{ emptyText: t('common.empty') }}
        rowClassName={(r) => (r.id === resolvedId ? 'row-resolved' : '')}
        onRow={(r) =>
          ({
            'data-testid': 'time-limit-row',
            'data-rule-id': r.id,
            'data-resolved': r.id === resolvedId,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('caseAdmin.timeLimits.fields.caseType'),
            width: 120,
            render: (_, r) => names.typeName(r.caseType),
          },
          {
            title: t('caseAdmin.timeLimits.fields.category'),
            render: (_, r) =>
              r.category ? names.categoryName(r) : <span className="muted">{names.categoryName(r)}</span>,
          },
          {
            title: t('caseAdmin.timeLimits.fields.urgency'),
            width: 120,
            render: (_, r) =>
              r.urgency ? names.urgencyName(r) : <span className="muted">{names.urgencyName(r)}</span>,
          },
          {
            title: t('caseAdmin.timeLimits.fields.response'),
            width: 150,
            render: (_, r) => <span data-testid="response">{duration(r.responseMinutes)}</span>,
          },
          {
            title: t('caseAdmin.timeLimits.fields.resolution'),
            width: 150,
            render: (_, r) => <span data-testid="resolution">{duration(r.resolutionMinutes)}</span>,
          },
          {
            title: t('caseAdmin.timeLimits.fields.visit'),
            width: 150,
            render: (_, r) => <span data-testid="visit">{duration(r.visitMinutes)}</span>,
          },
          {
            title: t('common.actions'),
            width: 150,
            fixed: 'end',
            render: (_, r) => (
              <Space size={0} wrap>
                <Button type="link" size="small" onClick={() => setTarget({ rule: r })}>
                  {t('common.edit')}
                </Button>
                {r.catchAll ? (
                  <Tag title={t('caseAdmin.timeLimits.catchAllHint')}>{t('caseAdmin.timeLimits.catchAll')}</Tag>
                ) : (
                  <Popconfirm
                    title={t('caseAdmin.timeLimits.deleteConfirm')}
                    description={t('caseAdmin.timeLimits.deleteHint', { rule: names.label(r) })}
                    okText={t('common.delete')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => remove(r)}
                  >
                    <Button type="link" size="small" danger loading={deleting === r.id}>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <TimeLimitModal
        target={target}
        caseTypes={types.data ?? []}
        tree={tree.data ?? []}
        rules={rules.data ?? []}
        minutesPerDay={perDay}
        onClose={() => setTarget(undefined)}
        onSaved={() => {
          setTarget(undefined);
          setTick((n) => n + 1);
        }}
      />
    </div>
  );
}
