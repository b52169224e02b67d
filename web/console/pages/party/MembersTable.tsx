import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  listMembers,
  MEMBER_ORG_KINDS,
  type Member,
  type MemberStatus,
  type PartyOrgDetail,
  removeMembership,
} from '../../api/party.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { MembershipModal, type MembershipTarget } from './MembershipModal.tsx';

/**
 * The members of an organisation (and, for committees, of the organisations below it). Render it with
 * `key={org.id}` so that filters start afresh for each organisation.
 */
export function MembersTable({ org, onChanged }: { org: PartyOrgDetail; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const holdsMembers = MEMBER_ORG_KINDS.includes(org.kind);
  const [includeSubOrgs, setIncludeSubOrgs] = useState(!holdsMembers);
  const [status, setStatus] = useState<MemberStatus>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [saved, setSaved] = useState(0);
  const [editing, setEditing] = useState<MembershipTarget>();

  const members = useLoad(
    () => listMembers(org.id, { status, includeSubOrgs, q: q || undefined, page, pageSize: 20 }),
    [org.id, status, includeSubOrgs, q, page, saved],
  );
  const manage = org.actions.manage;
  const changed = () => {
    setSaved((n) => n + 1);
    onChanged();
  };

  async function remove(member: Member) {
    try {
      await removeMembership(member.personId);
      message.success(t('party.memberRemoved'));
      changed();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  return (
    <Card
      size="small"
      title={t('party.members')}
      extra={
        manage &&
        holdsMembers && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'add', org })}>
            {t('party.addMember')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('party.searchMember')}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          style={{ width: 220 }}
        />
        <Select<MemberStatus>
          allowClear
          placeholder={t('party.fields.status')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={(['full', 'probationary'] as const).map((s) => ({ value: s, label: t(`party.memberStatus.${s}`) }))}
          style={{ width: 140 }}
        />
        <Space>
          <Switch
            checked={includeSubOrgs}
            onChange={(v) => {
              setIncludeSubOrgs(v);
              setPage(1);
            }}
          />
          <Typography.Text>{t('party.includeSubOrgs')}</Typography.Text>
        </Space>
      </Space>
      {members.error ? <Alert type="error" title={errorText(members.error)} /> : null}
      <Table<Member>
        size="small"
        rowKey="personId"
        loading={members.loading}
        dataSource={members.data?.items ?? []}
        locale={{ emptyText: t('party.noMembers') }}
        pagination={{
          current: page,
          pageSize: 20,
          total: members.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: setPage,
        }}
        columns={[
          { title: t('people.fields.name'), width: 100, render: (_, m) => m.person.name },
          {
            title: t('people.fields.gender'),
            width: 60,
            render: (_, m) => (m.person.gender ? t(`people.gender.${m.person.gender}`) : '—'),
          },
          {
            title: t('people.fields.phone'),
            width: 130,
            render: (_, m) => <span className="masked">{m.person.phone ?? '—'}</span>,
          },
          ...(includeSubOrgs
            ? [{ title: t('party.fields.org'), render: (_: unknown, m: Member) => m.partyOrg.name }]
            : []),
          {
            title: t('party.fields.status'),
            width: 90,
            render: (_, m) => (
              <Tag color={m.status === 'full' ? 'red' : 'orange'}>{t(`party.memberStatus.${m.status}`)}</Tag>
            ),
          },
          { title: t('party.fields.joinedOn'), width: 110, render: (_, m) => m.joinedOn ?? '—' },
          { title: t('party.fields.checkInUnit'), render: (_, m) => m.checkInUnit?.name ?? '—' },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  width: 120,
                  render: (_: unknown, m: Member) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing({ mode: 'edit', org, member: m })}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('party.removeMemberConfirm', { name: m.person.name })}
                        onConfirm={() => remove(m)}
                      >
                        <Button type="link" size="small" danger>
                          {t('party.removeMember')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <MembershipModal
        target={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          changed();
        }}
      />
    </Card>
  );
}
