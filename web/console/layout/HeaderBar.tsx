import { DownOutlined, GlobalOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Layout, Popover, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { type Language, switchLanguage } from '../../shared/i18n.ts';
import { useErrorText } from '../lib/errors.ts';
import { roleName } from '../lib/labels.ts';
import { useSession, useSignedIn } from '../lib/session.tsx';
import { NotificationBell } from './NotificationBell.tsx';

const LANGUAGES: Array<{ key: Language; label: string }> = [
  { key: 'zh-CN', label: '简体中文' },
  { key: 'en-US', label: 'English' },
];

export function HeaderBar() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const session = useSignedIn();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const errorText = useErrorText();

  const grants = (
    <div className="grant-list">
      {session.grants.length === 0 && <Typography.Text type="secondary">{t('header.noRoles')}</Typography.Text>}
      {session.grants.map((grant) => (
        <div key={`${grant.roleCode}-${grant.unitId}`} className="grant-row">
          <Tag color="red">{roleName(grant, i18n.language)}</Tag>
          <span>{grant.unitName}</span>
          <Typography.Text type="secondary"> · {t(`scope.${grant.scope}`)}</Typography.Text>
        </div>
      ))}
    </div>
  );
  const first = session.grants[0];

  return (
    <Layout.Header className="app-header">
      <Typography.Title level={4} className="app-title">
        {t('app.consoleTitle')}
      </Typography.Title>
      <Space size="middle" className="header-actions">
        <NotificationBell />
        <Dropdown
          menu={{
            selectable: true,
            selectedKeys: [i18n.language],
            items: LANGUAGES,
            onClick: ({ key }) => void switchLanguage(key as Language),
          }}
        >
          <Button type="text" icon={<GlobalOutlined />} data-testid="language-switch">
            {LANGUAGES.find((l) => l.key === i18n.language)?.label} <DownOutlined />
          </Button>
        </Dropdown>
        <Popover content={grants} title={t('header.myRoles')} placement="bottomRight">
          <Space className="header-user" data-testid="header-user">
            <UserOutlined />
            <span>{session.displayName}</span>
            {first && (
              <Tag color="red" className="header-role">
                {roleName(first, i18n.language)} · {first.unitName}
                {session.grants.length > 1 ? ` +${session.grants.length - 1}` : ''}
              </Tag>
            )}
          </Space>
        </Popover>
        <Button
          type="text"
          icon={<KeyOutlined />}
          onClick={() => navigate('/password')}
          aria-label={t('header.changePassword')}
          title={t('header.changePassword')}
        >
          <span className="header-button-text">{t('header.changePassword')}</span>
        </Button>
        <Button
          type="text"
          icon={<LogoutOutlined />}
          onClick={() => signOut().catch((error: unknown) => message.error(errorText(error)))}
          data-testid="sign-out"
          aria-label={t('header.signOut')}
          title={t('header.signOut')}
        >
          <span className="header-button-text">{t('header.signOut')}</span>
        </Button>
      </Space>
    </Layout.Header>
  );
}
