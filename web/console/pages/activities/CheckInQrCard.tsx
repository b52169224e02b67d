import { PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Activity, type CheckInCode, getCheckInCode, rotateCheckInCode } from '../../api/activities.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { timeRange } from './activity-format.ts';

const PRINTING = 'printing-check-in-qr';

/**
 * The check-in QR code for the venue, drawn by the server. Printing prints only this card (title, time, venue
 * and the code): the page is hidden by the print style sheet while the body carries PRINTING.
 */
export function CheckInQrCard({ activity }: { activity: Activity }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const loaded = useLoad(() => getCheckInCode(activity.id), [activity.id]);
  const [rotated, setRotated] = useState<CheckInCode>();
  const qr = rotated ?? loaded.data;

  useEffect(() => {
    const done = () => document.body.classList.remove(PRINTING);
    window.addEventListener('afterprint', done);
    return () => {
      window.removeEventListener('afterprint', done);
      done();
    };
  }, []);

  const print = () => {
    document.body.classList.add(PRINTING);
    window.print();
  };

  const rotate = async () => {
    try {
      setRotated(await rotateCheckInCode(activity.id));
      message.success(t('activities.qr.rotated'));
    } catch (error) {
      message.error(errorText(error));
    }
  };

  return (
    <Card
      size="small"
      title={t('activities.qr.title')}
      extra={
        <Space>
          <Button icon={<PrinterOutlined />} onClick={print} disabled={!qr} data-testid="print-qr">
            {t('activities.qr.print')}
          </Button>
          <Popconfirm title={t('activities.qr.rotateConfirm')} onConfirm={rotate}>
            <Button icon={<ReloadOutlined />}>{t('activities.qr.rotate')}</Button>
          </Popconfirm>
        </Space>
      }
    >
      {loaded.error ? <Alert type="error" showIcon title={errorText(loaded.error)} /> : null}
      {!qr && loaded.loading ? <Spin /> : null}
      {qr && (
        <div className="check-in-qr-card" data-testid="check-in-qr">
          <div className="check-in-qr-title">{activity.title}</div>
          <div className="check-in-qr-facts">
            {timeRange(activity.startsAt, activity.endsAt)} · {activity.venue}
          </div>
          <img
            className="check-in-qr-image"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr.svg)}`}
            alt={t('activities.qr.scan')}
            width={240}
            height={240}
          />
          <div className="check-in-qr-scan">{t('activities.qr.scan')}</div>
          <Typography.Paragraph type="secondary" className="check-in-qr-hint">
            {t('activities.qr.hint')}
          </Typography.Paragraph>
          <Typography.Text type="secondary" copyable={{ text: qr.url }} className="check-in-qr-url">
            {qr.url}
          </Typography.Text>
        </div>
      )}
    </Card>
  );
}
