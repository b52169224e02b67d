import { PlusOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Card, Descriptions, Empty, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { childOrgKinds, getPartyOrg, type PartyOrg, type PartyOrgDetail } from '../../api/party.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { MembersTable } from './MembersTable.tsx';
import { PartyOrgFormModal, type PartyOrgFormTarget } from './PartyOrgFormModal.tsx';

interface Props {
  orgId: number | undefined;
  onChanged(org: PartyOrg, previousParentId?: number | null): void;
  onSelect(id: number): void;
}

/** One Party organisation: where it sits, who leads it, the units it leads, and its members. */
export function PartyOrgPanel({ orgId, onChanged, onSelect }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form, setForm] = useState<PartyOrgFormTarget>();
  const [saved, setSaved] = useState(0);
  const detail = useLoad(() => getPartyOrg(orgId as number), [orgId, saved], orgId !== undefined);
  const org: PartyOrgDetail | undefined = detail.data?.id === orgId ? detail.data : undefined;

  if (orgId === undefined) {
    return (
      <Card size="small">
        <Empty description={t('party.chooseOrg')} />
      </Card>
    );
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          org ? (
            <Space orientation="vertical" size={0}>
              <Breadcrumb
                items={org.ancestors.map((a) => ({
                  key: a.id,
                  title: <Typography.Link onClick={() => onSelect(a.id)}>{a.name}</Typography.Link>,
                }))}
              />
              <span>{org.name}</span>
            </Space>
          ) : (
            t('party.detailTitle')
          )
        }
        extra={
          org?.actions.manage && (
            <Space>
              <Button onClick={() => setForm({ mode: 'edit', org })}>{t('common.edit')}</Button>
              {childOrgKinds(org.kind).length > 0 && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ mode: 'create', parent: org })}>
                  {t('party.addChild')}
                </Button>
              )}
            </Space>
          )
        }
      >
        {detail.loading && !org ? <Spin /> : null}
        {detail.error ? <Alert type="error" title={errorText(detail.error)} /> : null}
        {org && (
          <Descriptions
            size="small"
            column={3}
            items={[
              { key: 'kind', label: t('party.fields.kind'), children: t(`party.kinds.${org.kind}`) },
              { key: 'secretary', label: t('party.fields.secretary'), children: org.secretary?.name ?? '—' },
              { key: 'established', label: t('party.fields.establishedOn'), children: org.establishedOn ?? '—' },
              { key: 'children', label: t('party.fields.childCount'), children: org.childCount },
              { key: 'members', label: t('party.fields.memberCount'), children: org.memberCount },
              {
                key: 'units',
                label: t('party.fields.units'),
                span: 3,
                children: org.units.length
                  ? org.units.map((u) => (
                      <Tag key={u.id}>
                        {u.name}（{t(`unitKinds.${u.kind}`)}）
                      </Tag>
                    ))
                  : '—',
              },
            ]}
          />
        )}
      </Card>
      {org && <MembersTable key={org.id} org={org} onChanged={() => setSaved((n) => n + 1)} />}
      <PartyOrgFormModal
        target={form}
        onClose={() => setForm(undefined)}
        onSaved={(result, previousParentId) => {
          setForm(undefined);
          setSaved((n) => n + 1);
          onChanged(result, previousParentId);
        }}
      />
    </Space>
  );
}
