import { Alert, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseAction, CaseDetail, CaseSummary, TransitionInput } from '../../api/cases.ts';
import { useWorkingDuration } from '../../components/cases/CaseTags.tsx';
import { CategoryPicker } from '../../components/cases/CategoryPicker.tsx';
import { PhotoUpload } from '../../components/cases/PhotoUpload.tsx';
import { type CaseUnitChoices, searchOpenCases, type UnitChoice } from './api.ts';

/** What the form holds; the names are the request body's where they map one to one. */
export interface ActionValues {
  categoryId?: number;
  urgency?: 'normal' | 'urgent' | 'critical';
  unitId?: number;
  leadUnitId?: number;
  assistUnitIds?: number[];
  deadline?: Dayjs;
  note?: string;
  reason?: string;
  result?: string;
  attachmentIds?: string[];
  rating?: 'satisfied' | 'partlySatisfied' | 'dissatisfied';
  solved?: boolean;
  comment?: string;
  extraAmount?: number;
  extraUnit?: 'hours' | 'days';
  approve?: boolean;
  colour?: 'red' | 'orange' | 'green';
  masterId?: number;
}

/** A case offered as a merge master (from the similar list or a search). */
export interface MasterOption {
  id: number;
  number: string;
  title: string;
}

export const EXTRA_MINUTES = { hours: 60, days: 480 } as const;
const MIN_EXTRA = 30;
const MAX_EXTRA = 480 * 60;

const text = (value: string | undefined) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** The request body for the action from the form's values (the version is added by the caller). */
export function toBody(action: CaseAction, v: ActionValues): TransitionInput {
  const note = text(v.note);
  const reason = text(v.reason) ?? '';
  const photos = v.attachmentIds?.length ? v.attachmentIds : undefined;
  const body = ((): Record<string, unknown> => {
    switch (action) {
      case 'classify':
        return { categoryId: v.categoryId, urgency: v.urgency };
      case 'dispatch':
        return { unitId: v.unitId, note };
      case 'whistle':
      case 'redispatch':
        return {
          leadUnitId: v.leadUnitId,
          assistUnitIds: v.assistUnitIds ?? [],
          deadline: v.deadline ? v.deadline.toISOString() : undefined,
          note,
        };
      case 'selfResolve':
      case 'resolve':
        return { result: text(v.result), attachmentIds: photos };
      case 'transfer':
        return { unitId: v.unitId, reason };
      case 'escalate':
      case 'returnCase':
      case 'assistReturn':
      case 'reject':
        return { reason };
      case 'visit':
        return { rating: v.rating, solved: v.solved, comment: text(v.comment) };
      case 'note':
        return { note, attachmentIds: photos };
      case 'requestExtension':
        return {
          extraMinutes: Math.round((v.extraAmount ?? 0) * EXTRA_MINUTES[v.extraUnit ?? 'hours']),
          reason,
        };
      case 'decideExtension':
        return { approve: v.approve, note };
      case 'setColour':
        return { colour: v.colour, note };
      case 'merge':
        return { masterId: v.masterId, note };
      default:
        // checkIn, assistCheckIn, overrule, supervise, chase, closeBySupervisor, rehandle: a note.
        return { note };
    }
  })();
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { action, ...body } as TransitionInput;
}

/** Initial values of an action's form. */
export function initialValues(action: CaseAction, c: CaseDetail, master?: MasterOption): ActionValues {
  switch (action) {
    case 'classify':
      return { urgency: c.urgency, categoryId: c.category?.id };
    case 'whistle':
    case 'redispatch':
      return { assistUnitIds: [] };
    case 'requestExtension':
      return { extraUnit: 'days' };
    case 'setColour':
      return { colour: c.manualColour ?? undefined };
    case 'merge':
      return { masterId: master?.id };
    default:
      return {};
  }
}

interface FieldsProps {
  action: CaseAction;
  c: CaseDetail;
  choices: CaseUnitChoices | undefined;
  choicesLoading: boolean;
  masters: MasterOption[];
  onUploading(busy: boolean): void;
}

/** The fields of one action's form; the rules mirror the server's schema (required text, lengths, limits). */
export function ActionFields({ action, c, choices, choicesLoading, masters, onUploading }: FieldsProps) {
  const { t } = useTranslation();
  const duration = useWorkingDuration();
  const form = Form.useFormInstance<ActionValues>();
  const lead = Form.useWatch('leadUnitId', form);

  const required = (message: string) => ({ required: true, message });
  const textRules = (max: number, requiredMessage?: string) => [
    ...(requiredMessage ? [{ required: true, whitespace: true, message: requiredMessage }] : []),
    { max, message: t('common.maxLength', { max }) },
  ];
  const textArea = (name: 'note' | 'reason' | 'result' | 'comment', label: string, max: number, req?: string) => (
    <Form.Item name={name} label={label} rules={textRules(max, req)}>
      <Input.TextArea rows={3} maxLength={max} showCount autoSize={{ minRows: 3, maxRows: 8 }} />
    </Form.Item>
  );
  const note = (optional: boolean, max = 1000) =>
    textArea(
      'note',
      optional ? t('caseDetail.form.noteOptional') : t('caseDetail.form.note'),
      max,
      optional ? undefined : t('caseDetail.form.noteRequired'),
    );
  const reason = () => textArea('reason', t('caseDetail.form.reason'), 1000, t('caseDetail.form.reasonRequired'));
  const photos = () => (
    <Form.Item name="attachmentIds" label={t('caseDetail.form.photos')}>
      <PhotoUpload max={9} onBusyChange={onUploading} />
    </Form.Item>
  );
  const unitOptions = (units: UnitChoice[] | undefined) =>
    (units ?? []).map((u) => ({
      value: u.id,
      label: u.parentName && u.kind !== 'department' ? `${u.name}（${u.parentName}）` : u.name,
      kind: u.kind,
    }));
  const unitSelect = (units: UnitChoice[] | undefined, label: string, testId: string) => (
    <Form.Item name="unitId" label={label} rules={[required(t('caseDetail.form.unitRequired'))]}>
      <Select
        showSearch={{ optionFilterProp: 'label' }}
        options={unitOptions(units)}
        loading={choicesLoading}
        notFoundContent={t('caseDetail.form.noUnits')}
        data-testid={testId}
      />
    </Form.Item>
  );
  const future = (_: unknown, value: Dayjs | undefined) =>
    !value || value.isAfter(dayjs())
      ? Promise.resolve()
      : Promise.reject(new Error(t('caseDetail.form.deadlineFuture')));
  const disabledDate = (d: Dayjs) => d.isBefore(dayjs().startOf('day'));

  let fields: ReactNode;
  switch (action) {
    case 'classify':
      fields = (
        <>
          <Form.Item
            name="categoryId"
            label={t('caseDetail.form.category')}
            rules={[required(t('caseDetail.form.categoryRequired'))]}
          >
            <CategoryPicker data-testid="field-category" />
          </Form.Item>
          <Form.Item name="urgency" label={t('caseDetail.form.urgency')}>
            <Radio.Group
              options={(['normal', 'urgent', 'critical'] as const).map((u) => ({
                value: u,
                label: t(`caseTerms.urgency.${u}`),
              }))}
            />
          </Form.Item>
        </>
      );
      break;
    case 'dispatch':
      fields = (
        <>
          {unitSelect(choices?.dispatchTargets, t('caseDetail.form.unit'), 'field-unit')}
          {note(true)}
        </>
      );
      break;
    case 'transfer':
      fields = (
        <>
          {unitSelect(choices?.transferTargets, t('caseDetail.form.transferUnit'), 'field-unit')}
          {reason()}
        </>
      );
      break;
    case 'whistle':
    case 'redispatch': {
      const departments = unitOptions(choices?.departments);
      fields = (
        <>
          <Form.Item
            name="leadUnitId"
            label={t('caseDetail.form.leadUnit')}
            rules={[required(t('caseDetail.form.leadRequired'))]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={departments}
              loading={choicesLoading}
              notFoundContent={t('caseDetail.form.noUnits')}
              data-testid="field-lead"
              onChange={(id: number) => {
                const assists = form.getFieldValue('assistUnitIds') as number[] | undefined;
                if (assists?.includes(id))
                  form.setFieldValue(
                    'assistUnitIds',
                    assists.filter((a) => a !== id),
                  );
              }}
            />
          </Form.Item>
          <Form.Item
            name="assistUnitIds"
            label={t('caseDetail.form.assistUnits')}
            rules={[{ type: 'array', max: 10, message: t('caseDetail.form.assistMax') }]}
          >
            <Select
              mode="multiple"
              maxCount={10}
              showSearch={{ optionFilterProp: 'label' }}
              options={departments.filter((d) => d.value !== lead)}
              loading={choicesLoading}
              notFoundContent={t('caseDetail.form.noUnits')}
              data-testid="field-assists"
            />
          </Form.Item>
          <Form.Item
            name="deadline"
            label={t('caseDetail.form.deadline')}
            extra={action === 'redispatch' ? t('caseDetail.form.deadlineKeep') : undefined}
            rules={[
              ...(action === 'whistle' ? [required(t('caseDetail.form.deadlineRequired'))] : []),
              { validator: future },
            ]}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              disabledDate={disabledDate}
              style={{ width: '100%' }}
              data-testid="field-deadline"
            />
          </Form.Item>
          {action === 'redispatch' ? note(false) : note(true)}
        </>
      );
      break;
    }
    case 'selfResolve':
    case 'resolve':
      fields = (
        <>
          {textArea('result', t('caseDetail.form.result'), 2000, t('caseDetail.form.resultRequired'))}
          {photos()}
        </>
      );
      break;
    case 'escalate':
    case 'returnCase':
    case 'assistReturn':
    case 'reject':
      fields = reason();
      break;
    case 'visit':
      fields = (
        <>
          <Form.Item
            name="rating"
            label={t('caseDetail.form.rating')}
            rules={[required(t('caseDetail.form.ratingRequired'))]}
          >
            <Radio.Group
              options={(['satisfied', 'partlySatisfied', 'dissatisfied'] as const).map((r) => ({
                value: r,
                label: t(`caseTerms.rating.${r}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="solved"
            label={t('caseDetail.form.solved')}
            rules={[required(t('caseDetail.form.solvedRequired'))]}
          >
            <Radio.Group
              options={[
                { value: true, label: t('caseDetail.rating.solvedYes') },
                { value: false, label: t('caseDetail.rating.solvedNo') },
              ]}
            />
          </Form.Item>
          {textArea('comment', t('caseDetail.form.comment'), 1000)}
        </>
      );
      break;
    case 'note':
      fields = (
        <>
          {note(false, 2000)}
          {photos()}
        </>
      );
      break;
    case 'requestExtension':
      fields = (
        <>
          <Form.Item label={t('caseDetail.form.amount')} required>
            <Space.Compact>
              <Form.Item
                name="extraAmount"
                noStyle
                rules={[
                  required(t('caseDetail.form.amountRequired')),
                  {
                    validator: (_, value: number | undefined) => {
                      if (value === undefined || value === null) return Promise.resolve();
                      const unit = (form.getFieldValue('extraUnit') as 'hours' | 'days' | undefined) ?? 'hours';
                      const minutes = Math.round(value * EXTRA_MINUTES[unit]);
                      return minutes >= MIN_EXTRA && minutes <= MAX_EXTRA
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('caseDetail.form.amountRange')));
                    },
                  },
                ]}
              >
                <InputNumber min={0.5} max={480} step={0.5} style={{ width: 140 }} data-testid="field-amount" />
              </Form.Item>
              <Form.Item name="extraUnit" noStyle>
                <Select
                  style={{ width: 120 }}
                  options={[
                    { value: 'hours', label: t('caseDetail.form.hours') },
                    { value: 'days', label: t('caseDetail.form.days') },
                  ]}
                  onChange={() => form.validateFields(['extraAmount']).catch(() => undefined)}
                />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
          {reason()}
        </>
      );
      break;
    case 'decideExtension':
      fields = (
        <>
          {c.pendingExtension ? (
            <Alert
              type="info"
              className="case-block"
              title={t('caseDetail.form.requested', {
                by: c.pendingExtension.requestedBy,
                time: duration(c.pendingExtension.extraMinutes),
                reason: c.pendingExtension.reason,
              })}
            />
          ) : null}
          <Form.Item
            name="approve"
            label={t('caseDetail.form.decision')}
            rules={[required(t('caseDetail.form.decisionRequired'))]}
          >
            <Radio.Group
              options={[
                { value: true, label: t('caseDetail.form.approve') },
                { value: false, label: t('caseDetail.form.reject') },
              ]}
            />
          </Form.Item>
          {note(true)}
        </>
      );
      break;
    case 'setColour':
      fields = (
        <>
          <Form.Item
            name="colour"
            label={t('caseDetail.form.colour')}
            rules={[required(t('caseDetail.form.colourRequired'))]}
          >
            <Radio.Group
              options={(['red', 'orange', 'green'] as const).map((colour) => ({
                value: colour,
                label: t(`caseTerms.colour.${colour}`),
              }))}
            />
          </Form.Item>
          {note(true)}
        </>
      );
      break;
    case 'merge':
      fields = (
        <>
          <Form.Item
            name="masterId"
            label={t('caseDetail.form.master')}
            extra={t('caseDetail.form.masterHint')}
            rules={[required(t('caseDetail.form.masterRequired'))]}
          >
            <MasterSelect excludeId={c.id} offered={masters} />
          </Form.Item>
          {note(true)}
        </>
      );
      break;
    case 'chase':
      fields = (
        <>
          <Typography.Paragraph type="secondary">{t('caseDetail.form.chaseHint')}</Typography.Paragraph>
          {note(true)}
        </>
      );
      break;
    case 'closeBySupervisor':
      fields = (
        <>
          <Typography.Paragraph type="secondary">{t('caseDetail.form.closeHint')}</Typography.Paragraph>
          {note(false)}
        </>
      );
      break;
    case 'checkIn':
    case 'assistCheckIn':
      fields = note(true);
      break;
    default:
      // overrule, supervise, rehandle: a note is required.
      fields = note(false);
  }
  return fields;
}

/** The merge master: the similar cases offered first, or open cases found by words of their title. */
function MasterSelect({
  value,
  onChange,
  id,
  excludeId,
  offered,
}: {
  value?: number;
  onChange?(id: number | undefined): void;
  id?: string;
  excludeId: number;
  offered: MasterOption[];
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<CaseSummary[]>([]);
  const [searching, setSearching] = useState(false);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setFound([]);
      return;
    }
    let live = true;
    setSearching(true);
    const timer = setTimeout(() => {
      searchOpenCases(q).then(
        (items) => {
          if (!live) return;
          setFound(items);
          setSearching(false);
        },
        () => live && setSearching(false),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const options = useMemo(() => {
    const byId = new Map<number, MasterOption>();
    for (const o of [...offered, ...found]) if (o.id !== excludeId && !byId.has(o.id)) byId.set(o.id, o);
    const q = query.trim().toLowerCase();
    return [...byId.values()]
      .filter((o) => !q || found.some((f) => f.id === o.id) || `${o.number} ${o.title}`.toLowerCase().includes(q))
      .map((o) => ({ value: o.id, label: `${o.number} ${o.title}` }));
  }, [offered, found, excludeId, query]);

  return (
    <Select<number>
      id={id}
      value={value}
      onChange={(v) => onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      options={options}
      loading={searching}
      placeholder={t('caseDetail.form.masterSearch')}
      notFoundContent={t('common.noMatch')}
      data-testid="field-master"
      allowClear
    />
  );
}
