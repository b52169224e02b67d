import { Card, Col, Descriptions, Empty, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get, type Page, qs } from '../../../shared/api.ts';
import { roleName } from '../../lib/labels.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { consoleRoutes } from '../../routes.tsx';

interface Count {
  key: string;
  permission: string;
  url: string;
  link: string;
}

/** Each count is the `total` of a one-row page, so it is exactly what the account may see. */
const COUNTS: Count[] = [
  { key: 'streets', permission: 'unit.read', url: `/api/units${qs({ kind: 'street', pageSize: 1 })}`, link: '/units' },
  {
    key: 'communities',
    permission: 'unit.read',
    url: `/api/units${qs({ kind: 'community', pageSize: 1 })}`,
    link: '/units',
  },
  { key: 'grids', permission: 'grid.read', url: `/api/grids${qs({ pageSize: 1 })}`, link: '/grids' },
  { key: 'people', permission: 'person.read', url: `/api/people${qs({ pageSize: 1 })}`, link: '/people' },
  {
    key: 'carePersons',
    permission: 'carePerson.read',
    url: `/api/people${qs({ isCarePerson: true, pageSize: 1 })}`,
    link: '/care-persons',
  },
  {
    key: 'partyMembers',
    permission: 'partyOrg.read',
    url: `/api/people${qs({ isPartyMember: true, pageSize: 1 })}`,
    link: '/party',
  },
];

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const visible = COUNTS.filter((c) => session.can(c.permission));
  const counts = useLoad(
    () =>
      Promise.all(
        visible.map((c) =>
          get<Page<unknown>>(c.url).then(
            (page) => page.total,
            () => null,
          ),
        ),
      ),
    [session.accountId],
  );
  const hour = new Date().getHours();
  const greeting = hour < 12 ? 'dashboard.morning' : hour < 18 ? 'dashboard.afternoon' : 'dashboard.evening';
  const shortcuts = consoleRoutes.filter((r) => r.path !== '/' && !r.hidden && (!r.anyOf || r.anyOf.some(session.can)));

  return (
    <div className="page">
      <Card>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t(greeting, { name: session.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0, marginTop: 8 }}>
          {t('dashboard.intro')}
        </Typography.Paragraph>
      </Card>
      <Row gutter={[16, 16]}>
        {visible.map((c, index) => (
          <Col key={c.key} xs={12} md={8} xl={4}>
            <Link to={c.link}>
              <Card className="stat-card" hoverable>
                <Statistic
                  title={t(`dashboard.counts.${c.key}`)}
                  value={counts.data?.[index] ?? '—'}
                  loading={counts.loading}
                />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('dashboard.myRoles')}>
            <Table
              size="small"
              rowKey={(g) => `${g.roleCode}-${g.unitId}`}
              pagination={false}
              dataSource={session.grants}
              locale={{ emptyText: <Empty description={t('header.noRoles')} /> }}
              columns={[
                { title: t('dashboard.role'), render: (_, g) => <Tag color="red">{roleName(g, i18n.language)}</Tag> },
                { title: t('dashboard.unit'), dataIndex: 'unitName' },
                { title: t('dashboard.unitKind'), render: (_, g) => t(`unitKinds.${g.unitKind}`) },
                { title: t('dashboard.scope'), render: (_, g) => t(`scope.${g.scope}`) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('dashboard.account')}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'name', label: t('dashboard.displayName'), children: session.displayName },
                { key: 'username', label: t('dashboard.username'), children: session.username ?? '—' },
                {
                  key: 'permissions',
                  label: t('dashboard.permissions'),
                  children: session.permissions.length
                    ? session.permissions.map((p) => t(`permissions.${p}`)).join(t('common.listSeparator'))
                    : '—',
                },
              ]}
            />
          </Card>
          <Card title={t('dashboard.shortcuts')} style={{ marginTop: 16 }}>
            <Row gutter={[8, 8]}>
              {shortcuts.map((r) => (
                <Col key={r.path} span={12}>
                  <Link to={r.path}>
                    {r.icon} {t(r.label)}
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
