import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ageOf, listPeople, type PersonListItem, type RevealField } from '../../api/people.ts';
import { RevealButton } from '../../components/RevealButton.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { PersonDrawer } from './PersonDrawer.tsx';
import { PersonFlags } from './PersonFlags.tsx';
import { PersonFormModal } from './PersonFormModal.tsx';

type Flag = 'all' | 'partyMember' | 'carePerson';
type Revealed = Record<number, Partial<Record<RevealField, string | null>>>;

/** 人员管理: people in my scope, searchable, with masked personal data and an audited reveal. */
export default function PeoplePage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const errorText = useErrorText();
  const [within, setWithin] = useState<number>();
  const [q, setQ] = useState('');
  const [flag, setFlag] = useState<Flag>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [revealed, setRevealed] = useState<Revealed>({});
  const [detailId, setDetailId] = useState<number>();
  const [editing, setEditing] = useState<{ id?: number } | undefined>();
  const [savedCount, setSavedCount] = useState(0);

  const people = useLoad(
    () =>
      listPeople({
        within,
        q: q || undefined,
        isPartyMember: flag === 'partyMember' ? true : undefined,
        isCarePerson: flag === 'carePerson' ? true : undefined,
        page,
        pageSize,
      }),
    [within, q, flag, page, pageSize, savedCount],
  );

  const reveal = (id: number) => (values: Revealed[number]) =>
    setRevealed((current) => ({ ...current, [id]: { ...current[id], ...values } }));
  const canReveal = session.can('person.reveal');
  const flagOptions = [
    { value: 'all', label: t('people.filters.all') },
    { value: 'partyMember', label: t('people.filters.partyMember') },
    ...(session.can('carePerson.read') ? [{ value: 'carePerson', label: t('people.filters.carePerson') }] : []),
  ];

  return (
    <div className="page">
      <Card size="small">
        <div className="toolbar">
          <div className="toolbar-filters">
            <UnitTreeSelect
              value={within}
              onChange={(v) => {
                setWithin(v);
                setPage(1);
              }}
              placeholder={t('people.filters.within')}
              style={{ width: 240 }}
            />
            <Input.Search
              allowClear
              placeholder={t('people.filters.q')}
              onSearch={(value) => {
                setQ(value.trim());
                setPage(1);
              }}
              style={{ width: 280 }}
              data-testid="people-search"
            />
            <Select<Flag>
              value={flag}
              onChange={(v) => {
                setFlag(v);
                setPage(1);
              }}
              options={flagOptions}
              style={{ width: 140 }}
            />
          </div>
          {session.can('person.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}>
              {t('people.create')}
            </Button>
          )}
        </div>
      </Card>
      {people.error ? <Alert type="error" showIcon title={errorText(people.error)} /> : null}
      <Card size="small">
        <Table<PersonListItem>
          rowKey="id"
          size="small"
          loading={people.loading}
          dataSource={people.data?.items ?? []}
          locale={{ emptyText: q || within ? t('common.noMatch') : t('people.empty') }}
          scroll={{ x: 1000 }}
          pagination={{
            current: page,
            pageSize,
            total: people.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (p, s) => {
              setPage(s === pageSize ? p : 1);
              setPageSize(s);
            },
          }}
          columns={[
            {
              title: t('people.fields.name'),
              dataIndex: 'name',
              width: 110,
              fixed: 'left',
              render: (name: string, p) => <Typography.Link onClick={() => setDetailId(p.id)}>{name}</Typography.Link>,
            },
            {
              title: t('people.fields.gender'),
              width: 70,
              render: (_, p) => (p.gender ? t(`people.gender.${p.gender}`) : '—'),
            },
            { title: t('people.fields.age'), width: 70, render: (_, p) => ageOf(p.birthDate) ?? '—' },
            {
              title: t('people.fields.phone'),
              width: 190,
              render: (_, p) => {
                const full = revealed[p.id]?.phone;
                if (!p.phone) return '—';
                return (
                  <Space size={0}>
                    <span className="masked" data-testid={`phone-${p.id}`}>
                      {full ?? p.phone}
                    </span>
                    {canReveal && full === undefined && (
                      <RevealButton personId={p.id} fields={['phone']} onRevealed={reveal(p.id)} />
                    )}
                  </Space>
                );
              },
            },
            {
              title: t('people.fields.unit'),
              width: 200,
              render: (_, p) =>
                p.unit ? (
                  <span data-testid="person-unit" data-unit-kind={p.unit.kind} data-unit-name={p.unit.name}>
                    {p.unit.name} <Typography.Text type="secondary">{t(`unitKinds.${p.unit.kind}`)}</Typography.Text>
                  </span>
                ) : (
                  '—'
                ),
            },
            { title: t('people.fields.address'), dataIndex: 'address', ellipsis: true, render: (v) => v ?? '—' },
            { title: t('people.fields.flags'), width: 200, render: (_, p) => <PersonFlags flags={p.flags} /> },
            {
              title: t('common.actions'),
              width: 130,
              fixed: 'right',
              render: (_, p) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setDetailId(p.id)}>
                    {t('common.detail')}
                  </Button>
                  {session.can('person.manage') && (
                    <Button type="link" size="small" onClick={() => setEditing({ id: p.id })}>
                      {t('common.edit')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <PersonDrawer
        personId={detailId}
        refreshKey={savedCount}
        known={detailId ? revealed[detailId] : undefined}
        onRevealed={(id, values) => reveal(id)(values)}
        onClose={() => setDetailId(undefined)}
        onEdit={(id) => setEditing({ id })}
        onChanged={() => setSavedCount((n) => n + 1)}
      />
      <PersonFormModal
        target={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          setSavedCount((n) => n + 1);
        }}
      />
    </div>
  );
}
