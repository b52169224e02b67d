import { SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Radio, Row, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ActionKey, type SessionInfo } from '../../../shared/api.ts';
import type { LocatedGrid } from '../../components/cases/PointPicker.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import {
  type CaseTypeDto,
  createCase,
  INTAKE_CHANNELS,
  type IntakeChannel,
  type IntakeInput,
  loadCaseTypes,
  type ManualColour,
} from './api.ts';
import {
  type CaseFieldValues,
  CaseTextFields,
  ConfidentialField,
  DuplicateWarning,
  PhotosField,
  PlaceFields,
  showServerIssues,
} from './CaseFields.tsx';

interface IntakeValues extends CaseFieldValues {
  caseType: string;
  channel: IntakeChannel;
  unitId?: number;
  reporter?: { name?: string; phone?: string };
  selfResolve: boolean;
  selfResolvedResult?: string;
  manualColour?: ManualColour;
}

const COLOURS: readonly ManualColour[] = ['red', 'orange', 'green'];
/** The server's rule for a reporter's phone: a mainland mobile or a landline. */
const PHONE = /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/;

/** The channel a form opens with: a grid worker patrols, a hotline operator answers the phone. */
export function defaultChannel(session: Pick<SessionInfo, 'grants'>): IntakeChannel {
  const roles = new Set(session.grants.map((g) => g.roleCode));
  if (roles.has('hotlineOperator')) return 'hotline';
  if (roles.has('gridWorker')) return 'patrol';
  return 'hotline';
}

/** The channel that goes with a case type (an inspection finding comes from an inspection …). */
function channelFor(caseType: string, fallback: IntakeChannel): IntakeChannel {
  switch (caseType) {
    case 'inspection':
      return 'inspection';
    case 'task':
      return 'task';
    case 'enterprise':
      return 'enterpriseVisit';
    default:
      return fallback;
  }
}

/** 受理登记: a hotline call or a patrol finding recorded as a case, placed on the map, classified at once. */
export default function IntakePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const session = useSignedIn();
  const [form] = Form.useForm<IntakeValues>();
  const [submitting, setSubmitting] = useState(false);
  // One Idempotency-Key per case taken in: submitting again after a lost answer does not record it twice.
  const actionKey = useRef(new ActionKey());
  const [uploading, setUploading] = useState(false);
  const [grid, setGrid] = useState<LocatedGrid | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const types = useLoad(loadCaseTypes, []);
  const roleChannel = defaultChannel(session);

  const caseTypeCode = Form.useWatch('caseType', form);
  const channel = Form.useWatch('channel', form);
  const selfResolve = Form.useWatch('selfResolve', form);
  const location = Form.useWatch('location', form);
  const activeTypes = useMemo(() => (types.data ?? []).filter((ct) => ct.active), [types.data]);
  const caseType: CaseTypeDto | undefined = activeTypes.find((ct) => ct.code === caseTypeCode);
  const english = i18n.language === 'en-US';

  const initialValues: Partial<IntakeValues> = {
    caseType: 'appeal',
    channel: roleChannel,
    urgency: 'normal',
    confidential: false,
    selfResolve: false,
  };

  // Not a patrol any more: nothing to resolve on the spot.
  useEffect(() => {
    if (channel !== 'patrol' && form.getFieldValue('selfResolve')) form.setFieldValue('selfResolve', false);
  }, [channel, form]);

  async function submit(values: IntakeValues) {
    setSubmitting(true);
    setFailure(null);
    const reporterName = values.reporter?.name?.trim();
    const reporterPhone = values.reporter?.phone?.trim();
    const input: IntakeInput = {
      caseType: values.caseType,
      channel: values.channel,
      title: values.title.trim(),
      description: values.description.trim(),
      urgency: values.urgency,
      confidential: values.confidential,
      ...(values.categoryId !== undefined ? { categoryId: values.categoryId } : {}),
      ...(values.location ? { location: values.location } : {}),
      ...(values.address?.trim() ? { address: values.address.trim() } : {}),
      ...(values.unitId !== undefined && !caseType?.routesToGrid ? { unitId: values.unitId } : {}),
      ...(reporterName || reporterPhone
        ? {
            reporter: {
              ...(reporterName ? { name: reporterName } : {}),
              ...(reporterPhone ? { phone: reporterPhone } : {}),
            },
          }
        : {}),
      ...(values.attachmentIds?.length ? { attachmentIds: values.attachmentIds } : {}),
      ...(values.channel === 'patrol' && values.selfResolve && values.selfResolvedResult?.trim()
        ? { selfResolved: { result: values.selfResolvedResult.trim() } }
        : {}),
      ...(caseType?.manualColour && values.manualColour ? { manualColour: values.manualColour } : {}),
    };
    try {
      const { case: created } = await createCase(input, actionKey.current.for(input));
      actionKey.current.settle();
      message.success(t('intake.created', { number: created.number }));
      navigate(`/cases/${created.id}`);
    } catch (error) {
      actionKey.current.settle(error);
      if (!showServerIssues(form, error, t)) setFailure(error);
    } finally {
      setSubmitting(false);
    }
  }

  const typeLabel = (ct: CaseTypeDto) => (english ? ct.nameEn || ct.name : ct.name);
  const destination = !location
    ? null
    : grid
      ? t('intake.destination.grid', { grid: grid.name })
      : t('intake.destination.street');

  return (
    <div className="page intake-page" data-testid="intake-page">
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('intake.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('intake.subtitle')}</Typography.Text>
      </div>
      {types.error ? <Alert type="error" showIcon title={errorText(types.error)} /> : null}
      <Form<IntakeValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={submit}
        scrollToFirstError={{ block: 'center', focus: true }}
        requiredMark
        data-testid="intake-form"
      >
        <Row gutter={16} align="top">
          <Col xs={24} lg={13}>
            <Card size="small" title={t('intake.sections.case')}>
              <Row gutter={16}>
                <Col xs={24} sm={12}>
                  <Form.Item name="caseType" label={t('intake.fields.caseType')} rules={[{ required: true }]}>
                    <Select
                      loading={types.loading}
                      data-testid="intake-case-type"
                      options={activeTypes.map((ct) => ({ value: ct.code, label: typeLabel(ct) }))}
                      onChange={(code: string) => form.setFieldValue('channel', channelFor(code, roleChannel))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name="channel" label={t('intake.fields.channel')} rules={[{ required: true }]}>
                    <Select
                      data-testid="intake-channel"
                      options={INTAKE_CHANNELS.map((c) => ({ value: c, label: t(`caseTerms.channel.${c}`) }))}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <CaseTextFields categoryRequired={Boolean(selfResolve)} />
              {caseType?.manualColour && (
                <Form.Item
                  name="manualColour"
                  label={t('intake.fields.manualColour')}
                  extra={t('intake.manualColourHelp')}
                  rules={[{ required: true, message: t('intake.rules.manualColour') }]}
                >
                  <Radio.Group data-testid="intake-colour">
                    {COLOURS.map((c) => (
                      <Radio key={c} value={c}>
                        {t(`caseTerms.colour.${c}`)}
                      </Radio>
                    ))}
                  </Radio.Group>
                </Form.Item>
              )}
              {caseType && !caseType.routesToGrid && (
                <Form.Item name="unitId" label={t('intake.fields.unit')} extra={t('intake.unitHelp')}>
                  <UnitTreeSelect
                    selectableKinds={['street', 'town', 'community', 'village', 'grid']}
                    placeholder={t('intake.unitPlaceholder')}
                  />
                </Form.Item>
              )}
              <Row gutter={16}>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name={['reporter', 'name']}
                    label={t('intake.fields.reporterName')}
                    rules={[{ max: 50, message: t('common.maxLength', { max: 50 }) }]}
                  >
                    <Input maxLength={50} autoComplete="off" data-testid="intake-reporter-name" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name={['reporter', 'phone']}
                    label={t('intake.fields.reporterPhone')}
                    rules={[{ pattern: PHONE, message: t('intake.rules.phone') }]}
                  >
                    <Input maxLength={20} inputMode="tel" autoComplete="off" data-testid="intake-reporter-phone" />
                  </Form.Item>
                </Col>
              </Row>
              <ConfidentialField />
              <PhotosField onBusyChange={setUploading} />
              {channel === 'patrol' && (
                <>
                  <Form.Item
                    name="selfResolve"
                    label={t('intake.fields.selfResolve')}
                    valuePropName="checked"
                    extra={t('intake.selfResolveHelp')}
                  >
                    <Switch data-testid="intake-self-resolve" />
                  </Form.Item>
                  {selfResolve && (
                    <Form.Item
                      name="selfResolvedResult"
                      label={t('intake.fields.selfResolvedResult')}
                      rules={[
                        { required: true, whitespace: true, message: t('intake.rules.result') },
                        { max: 2000, message: t('common.maxLength', { max: 2000 }) },
                      ]}
                    >
                      <Input.TextArea rows={3} maxLength={2000} showCount data-testid="intake-result" />
                    </Form.Item>
                  )}
                </>
              )}
            </Card>
          </Col>
          <Col xs={24} lg={11} className="intake-place-column" style={{ position: 'sticky', top: 16 }}>
            <Card size="small" title={t('intake.sections.place')}>
              <PlaceFields onGrid={setGrid} />
              <DuplicateWarning />
            </Card>
          </Col>
        </Row>
        <Card size="small" style={{ marginTop: 16 }}>
          {failure !== null && (
            <Alert
              type="error"
              showIcon
              title={errorText(failure)}
              style={{ marginBottom: 12 }}
              data-testid="intake-error"
            />
          )}
          <Space wrap size="middle">
            <Button
              type="primary"
              htmlType="submit"
              icon={<SendOutlined />}
              loading={submitting}
              disabled={uploading}
              data-testid="intake-submit"
            >
              {selfResolve ? t('intake.submitResolved') : t('intake.submit')}
            </Button>
            <Button
              htmlType="button"
              onClick={() => {
                form.resetFields();
                setFailure(null);
              }}
            >
              {t('common.reset')}
            </Button>
            {uploading && <Typography.Text type="secondary">{t('intake.waitUploads')}</Typography.Text>}
            {destination && (
              <Typography.Text type="secondary" data-testid="intake-destination">
                {destination}
              </Typography.Text>
            )}
          </Space>
        </Card>
      </Form>
    </div>
  );
}
