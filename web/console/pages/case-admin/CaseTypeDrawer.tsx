import { Alert, App, Button, Drawer, Form, Input, InputNumber, Radio, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseType, type CaseTypeChanges, updateCaseType } from '../../api/case-config.ts';
import { type Change, ChangeList } from './ChangeList.tsx';
import { localName, percent } from './format.ts';
import { isVersionConflict, useServerErrors } from './server-errors.ts';

interface Values {
  name: string;
  nameEn: string;
  routesToGrid: boolean;
  visitRule: CaseType['visitRule'];
  manualColour: boolean;
  /** The orange share as a percent with one decimal (the column keeps three decimals of the share). */
  orangePercent: number;
  active: boolean;
}

const valuesOf = (c: CaseType): Values => ({
  name: c.name,
  nameEn: c.nameEn,
  routesToGrid: c.routesToGrid,
  visitRule: c.visitRule,
  manualColour: c.manualColour,
  orangePercent: Math.round(c.orangeShare * 1000) / 10,
  active: c.active,
});

/** Only the fields that differ from the record, in the request's terms. */
function changesOf(c: CaseType, v: Partial<Values>): CaseTypeChanges {
  const out: CaseTypeChanges = {};
  if (v.name !== undefined && v.name.trim() !== c.name) out.name = v.name.trim();
  if (v.nameEn !== undefined && v.nameEn.trim() !== c.nameEn) out.nameEn = v.nameEn.trim();
  if (v.routesToGrid !== undefined && v.routesToGrid !== c.routesToGrid) out.routesToGrid = v.routesToGrid;
  if (v.visitRule !== undefined && v.visitRule !== c.visitRule) out.visitRule = v.visitRule;
  if (v.manualColour !== undefined && v.manualColour !== c.manualColour) out.manualColour = v.manualColour;
  if (typeof v.orangePercent === 'number') {
    const share = Math.round(v.orangePercent * 10) / 1000;
    if (share !== c.orangeShare) out.orangeShare = share;
  }
  if (v.active !== undefined && v.active !== c.active) out.active = v.active;
  return out;
}

/** Edit one case type's names and the settings that decide its steps; deactivating one asks first. */
export function CaseTypeDrawer({
  caseType,
  onClose,
  onSaved,
}: {
  caseType: CaseType | undefined;
  onClose(): void;
  onSaved(): void;
}) {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const placeError = useServerErrors();
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!caseType) return;
    setFailure(null);
    form.resetFields();
    form.setFieldsValue(valuesOf(caseType));
  }, [caseType, form]);

  const changes = caseType && watched ? changesOf(caseType, watched) : {};
  const yesNo = (v: boolean) => t(v ? 'common.yes' : 'common.no');
  const shown: Change[] = caseType
    ? (Object.keys(changes) as Array<keyof CaseTypeChanges>).map((key) => {
        const show = (value: unknown) =>
          key === 'visitRule'
            ? t(`caseAdmin.types.visitRule.${value}`)
            : key === 'orangeShare'
              ? percent(value as number)
              : key === 'active'
                ? t(value ? 'common.active' : 'common.inactive')
                : typeof value === 'boolean'
                  ? yesNo(value)
                  : String(value);
        return {
          key,
          label: t(`caseAdmin.types.fields.${key}`),
          before: show(caseType[key]),
          after: show(changes[key]),
        };
      })
    : [];

  async function submit() {
    if (!caseType) return;
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const diff = changesOf(caseType, values);
    if (Object.keys(diff).length === 0) return;
    const save = async () => {
      setSaving(true);
      setFailure(null);
      try {
        await updateCaseType(caseType.code, caseType.version, diff);
        message.success(t('caseAdmin.types.saved', { name: localName(values, i18n.language) }));
        onSaved();
      } catch (error) {
        if (isVersionConflict(error)) {
          message.error(t('caseAdmin.versionConflict'));
          onSaved();
          return;
        }
        setFailure(placeError(form, error, { alias: { orangeShare: 'orangePercent' } }));
      } finally {
        setSaving(false);
      }
    };
    if (diff.active === false) {
      modal.confirm({
        title: t('caseAdmin.types.deactivateConfirm', { name: localName(caseType, i18n.language) }),
        content: t('caseAdmin.types.deactivateHint'),
        okButtonProps: { danger: true },
        okText: t('caseAdmin.deactivate'),
        onOk: save,
      });
    } else {
      await save();
    }
  }

  return (
    <Drawer
      open={caseType !== undefined}
      onClose={onClose}
      title={caseType ? t('caseAdmin.types.editTitle', { name: localName(caseType, i18n.language) }) : ''}
      size={520}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            disabled={shown.length === 0}
            onClick={() => void submit()}
            data-testid="save-case-type"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {failure && <Alert type="error" showIcon title={failure} className="form-alert" />}
      {caseType && (
        <Typography.Paragraph type="secondary">
          {t('caseAdmin.types.code')}: <span className="masked">{caseType.code}</span>
        </Typography.Paragraph>
      )}
      <Form<Values> form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item
          name="name"
          label={t('caseAdmin.types.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('caseAdmin.required') }, { max: 50 }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t('caseAdmin.types.fields.nameEn')}
          rules={[{ required: true, whitespace: true, message: t('caseAdmin.required') }, { max: 80 }]}
        >
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item
          name="routesToGrid"
          label={t('caseAdmin.types.fields.routesToGrid')}
          valuePropName="checked"
          extra={t('caseAdmin.types.help.routesToGrid')}
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name="visitRule"
          label={t('caseAdmin.types.fields.visitRule')}
          extra={t('caseAdmin.types.help.visitRule')}
        >
          <Radio.Group
            options={(['reporter', 'none'] as const).map((v) => ({
              value: v,
              label: t(`caseAdmin.types.visitRule.${v}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="manualColour"
          label={t('caseAdmin.types.fields.manualColour')}
          valuePropName="checked"
          extra={t('caseAdmin.types.help.manualColour')}
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name="orangePercent"
          label={t('caseAdmin.types.fields.orangeShare')}
          extra={t('caseAdmin.types.help.orangeShare')}
          rules={[
            { required: true, message: t('caseAdmin.types.orangeRange') },
            { type: 'number', min: 0.1, max: 99.9, message: t('caseAdmin.types.orangeRange') },
          ]}
        >
          <InputNumber min={0.1} max={99.9} step={5} precision={1} suffix="%" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="active"
          label={t('caseAdmin.fields.status')}
          valuePropName="checked"
          extra={t('caseAdmin.types.help.active')}
        >
          <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
        </Form.Item>
        <button type="submit" className="implicit-submit" tabIndex={-1} aria-hidden />
      </Form>
      <ChangeList changes={shown} />
    </Drawer>
  );
}
