import { EyeOutlined, LockOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseDetail, revealReporter } from '../../api/cases.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';

/**
 * The reporter as staff see them: masked, with a button to show the full name and phone to those holding
 * case.reveal (each reveal is written to the audit log by the server); nothing when they asked for
 * confidentiality.
 */
export function ReporterField({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const session = useSignedIn();
  const [revealed, setRevealed] = useState<{ caseId: number; name: string | null; phone: string | null }>();
  const [busy, setBusy] = useState(false);

  if (c.confidential) {
    return (
      <Space data-testid="reporter-confidential">
        <LockOutlined />
        <span>{t('caseDetail.info.confidential')}</span>
      </Space>
    );
  }
  if (!c.reporter) return <span className="muted">{t('caseDetail.info.noReporter')}</span>;

  const shown = revealed?.caseId === c.id ? revealed : null;
  async function reveal() {
    setBusy(true);
    try {
      const { reporter } = await revealReporter(c.id);
      setRevealed({ caseId: c.id, ...reporter });
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  const name = shown ? shown.name : c.reporter.name;
  const phone = shown ? shown.phone : c.reporter.phone;
  return (
    <Space wrap size={[8, 4]}>
      <span data-testid="reporter-name">{name ?? '—'}</span>
      <span className={shown ? undefined : 'masked'} data-testid="reporter-phone">
        {phone ?? '—'}
      </span>
      {shown ? (
        <Tag color="gold" data-testid="reporter-revealed">
          {t('caseDetail.info.revealed')}
        </Tag>
      ) : c.reporter.masked && session.can('case.reveal') ? (
        <Popconfirm
          title={t('caseDetail.info.revealTitle')}
          description={
            <Typography.Paragraph className="reveal-confirm">{t('caseDetail.info.revealConfirm')}</Typography.Paragraph>
          }
          okText={t('caseDetail.info.revealOk')}
          cancelText={t('common.cancel')}
          onConfirm={reveal}
        >
          <Button size="small" type="link" icon={<EyeOutlined />} loading={busy} data-testid="reporter-reveal">
            {t('caseDetail.info.reveal')}
          </Button>
        </Popconfirm>
      ) : null}
    </Space>
  );
}
