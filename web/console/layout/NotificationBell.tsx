import { BellOutlined, CheckOutlined, SoundOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, List, Popover, Space, Spin, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { get, post, qs } from '../../shared/api.ts';
import { useErrorText } from '../lib/errors.ts';
import { formatTime } from '../lib/format.ts';
import { type NotificationDto, useLive, useLiveState } from '../lib/live.tsx';
import { useLoad } from '../lib/use-load.ts';

const RECENT = 8;

/** What happened, in the reader's language: the action code of a case, or of a one-tap call. */
function useActionText() {
  const { t } = useTranslation();
  return (n: Pick<NotificationDto, 'topic' | 'body'>) =>
    n.topic.startsWith('case.')
      ? t(`caseTerms.action.${n.body}`, { defaultValue: n.body })
      : t(`worklist.callRequest.action.${n.body}`, { defaultValue: n.body });
}

/** The header's bell: the unread count, the latest notifications (read one, read all, open the case), alerts. */
export function NotificationBell() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const actionText = useActionText();
  const { unreadCount, setUnreadCount, connected } = useLiveState();
  const [open, setOpen] = useState(false);
  const recent = useLoad(
    () => get<{ items: NotificationDto[]; unreadCount: number }>(`/api/notifications${qs({ pageSize: RECENT })}`),
    [],
    open,
  );
  // A notification arriving while the list is open shows up in it.
  useLive(() => {
    if (open) recent.reload();
  });

  const markRead = async (n: NotificationDto) => {
    if (n.readAt) return;
    const body = await post<{ unreadCount: number }>(`/api/notifications/${n.id}/read`);
    setUnreadCount(body.unreadCount);
  };
  const openItem = async (n: NotificationDto) => {
    try {
      await markRead(n);
    } catch (error) {
      message.error(errorText(error));
    }
    setOpen(false);
    if (n.caseId) navigate(`/cases/${n.caseId}`);
    else if (n.callRequestId) navigate('/call-requests');
  };
  const readAll = async () => {
    try {
      await post('/api/notifications/read-all');
      setUnreadCount(0);
      recent.reload();
    } catch (error) {
      message.error(errorText(error));
    }
  };

  const content = (
    <div className="notification-panel" data-testid="notification-panel">
      <Spin spinning={recent.loading}>
        {recent.error ? (
          <Typography.Text type="danger">{errorText(recent.error)}</Typography.Text>
        ) : (
          <List<NotificationDto>
            size="small"
            dataSource={recent.data?.items ?? []}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('worklist.bell.empty')} />,
            }}
            renderItem={(n) => (
              <List.Item
                key={n.id}
                className={n.readAt ? 'notification-item read' : 'notification-item unread'}
                data-testid="notification-item"
                actions={
                  n.readAt
                    ? []
                    : [
                        <Button
                          key="read"
                          type="text"
                          size="small"
                          icon={<CheckOutlined />}
                          aria-label={t('worklist.bell.markRead')}
                          title={t('worklist.bell.markRead')}
                          onClick={() =>
                            markRead(n).then(recent.reload, (error: unknown) => message.error(errorText(error)))
                          }
                        />,
                      ]
                }
              >
                <List.Item.Meta
                  title={
                    <Typography.Link onClick={() => openItem(n)} ellipsis data-testid="notification-open">
                      {n.callRequestId && !n.caseId ? t('worklist.topic.callRequest') : n.title}
                    </Typography.Link>
                  }
                  description={
                    <span>
                      {actionText(n)} · {formatTime(n.createdAt)}
                    </span>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Spin>
      <div className="notification-footer">
        <AlertSwitches />
        <Button size="small" onClick={readAll} disabled={!unreadCount} data-testid="notification-read-all">
          {t('worklist.bell.markAllRead')}
        </Button>
      </div>
    </div>
  );

  return (
    <Popover
      content={content}
      title={
        <Space>
          {t('worklist.bell.recent')}
          <Typography.Text type="secondary">{t('worklist.bell.unread', { count: unreadCount ?? 0 })}</Typography.Text>
        </Space>
      }
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
    >
      <Button
        type="text"
        aria-label={t('worklist.bell.title')}
        title={connected ? t('worklist.live.connected') : t('worklist.live.reconnecting')}
        data-testid="notification-bell"
        data-connected={connected}
        icon={
          <Badge count={unreadCount ?? 0} size="small" overflowCount={99} data-testid="notification-unread">
            <BellOutlined className="header-bell-icon" />
          </Badge>
        }
      />
    </Popover>
  );
}

/** The chime and desktop-notification switches, remembered in this browser. */
function AlertSwitches() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { sound, desktop, setSound, setDesktop } = useLiveState();
  return (
    <Space size="middle" wrap>
      <Space size={4}>
        <SoundOutlined />
        <label htmlFor="live-sound">{t('worklist.live.sound')}</label>
        <Switch id="live-sound" size="small" checked={sound} onChange={setSound} data-testid="live-sound-toggle" />
      </Space>
      <Space size={4}>
        <label htmlFor="live-desktop">{t('worklist.live.desktop')}</label>
        <Switch
          id="live-desktop"
          size="small"
          checked={desktop}
          data-testid="live-desktop-toggle"
          onChange={async (on) => {
            const result = await setDesktop(on);
            if (on && result === 'denied') message.warning(t('worklist.live.desktopDenied'));
            if (on && result === 'unsupported') message.warning(t('worklist.live.desktopUnsupported'));
          }}
        />
      </Space>
    </Space>
  );
}
