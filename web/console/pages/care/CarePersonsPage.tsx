import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ageOf,
  CARE_KINDS,
  type CareKind,
  type CarePersonItem,
  getPerson,
  listCarePersons,
  type PersonDetail,
} from '../../api/people.ts';
import { PersonSelect } from '../../components/PersonSelect.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { PersonDrawer } from '../people/PersonDrawer.tsx';
import { CareFormModal } from './CareFormModal.tsx';

/** 重点人群: people with a care file (living alone, hardship …), who need regular visits. */
export default function CarePersonsPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [within, setWithin] = useState<number>();
  const [kind, setKind] = useState<CareKind>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [savedCount, setSavedCount] = useState(0);
  const [detailId, setDetailId] = useState<number>();
  const [editing, setEditing] = useState<PersonDetail>();
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<number | null>(null);
  const canManage = session.can('carePerson.manage');

  const list = useLoad(
    () => listCarePersons({ within, kind, q: q || undefined, page, pageSize }),
    [within, kind, q, page, pageSize, savedCount],
  );

  async function openFile(personId: number) {
    try {
      setEditing(await getPerson(personId));
    } catch (error) {
      message.error(errorText(error));
    }
  }

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
            <Select<CareKind>
              allowClear
              placeholder={t('care.filterKind')}
              value={kind}
              onChange={(v) => {
                setKind(v);
                setPage(1);
              }}
              options={CARE_KINDS.map((k) => ({ value: k, label: t(`care.kinds.${k}`) }))}
              style={{ width: 160 }}
            />
            <Input.Search
              allowClear
              placeholder={t('care.searchName')}
              onSearch={(v) => {
                setQ(v.trim());
                setPage(1);
              }}
              style={{ width: 220 }}
            />
          </div>
          {canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setChoosing(true)}>
              {t('care.addFile')}
            </Button>
          )}
        </div>
      </Card>
      <Alert type="warning" showIcon title={t('care.sensitive')} />
      {list.error ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Card size="small">
        <Table<CarePersonItem>
          size="small"
          rowKey={(r) => r.person.id}
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t('care.empty') }}
          scroll={{ x: 960 }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
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
              width: 100,
              render: (_, r) => (
                <Typography.Link onClick={() => setDetailId(r.person.id)}>{r.person.name}</Typography.Link>
              ),
            },
            {
              title: t('people.fields.gender'),
              width: 70,
              render: (_, r) => (r.person.gender ? t(`people.gender.${r.person.gender}`) : '—'),
            },
            { title: t('people.fields.age'), width: 70, render: (_, r) => ageOf(r.person.birthDate) ?? '—' },
            {
              title: t('care.fields.kinds'),
              render: (_, r) =>
                r.kinds.map((k) => (
                  <Tag key={k} color="orange">
                    {t(`care.kinds.${k}`)}
                  </Tag>
                )),
            },
            {
              title: t('people.fields.phone'),
              width: 130,
              render: (_, r) => <span className="masked">{r.person.phone ?? '—'}</span>,
            },
            { title: t('people.fields.unit'), width: 180, render: (_, r) => r.person.unit?.name ?? '—' },
            {
              title: t('care.fields.visitCycleDays'),
              width: 110,
              render: (_, r) => (r.visitCycleDays ? t('care.everyDays', { count: r.visitCycleDays }) : '—'),
            },
            { title: t('care.fields.responsible'), width: 110, render: (_, r) => r.responsiblePerson?.name ?? '—' },
            {
              title: t('common.actions'),
              width: 130,
              fixed: 'right',
              render: (_, r) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setDetailId(r.person.id)}>
                    {t('common.detail')}
                  </Button>
                  {canManage && (
                    <Button type="link" size="small" onClick={() => void openFile(r.person.id)}>
                      {t('care.editFile')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={choosing}
        title={t('care.choosePerson')}
        onCancel={() => setChoosing(false)}
        okButtonProps={{ disabled: !chosen }}
        onOk={() => {
          setChoosing(false);
          if (chosen) void openFile(chosen);
          setChosen(null);
        }}
        destroyOnHidden
      >
        <PersonSelect value={chosen} onChange={setChosen} />
      </Modal>
      {editing && (
        <CareFormModal
          open
          person={{ id: editing.id, name: editing.name, unitId: editing.unit?.id }}
          care={editing.care}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            setSavedCount((n) => n + 1);
          }}
        />
      )}
      <PersonDrawer
        personId={detailId}
        refreshKey={savedCount}
        onClose={() => setDetailId(undefined)}
        onChanged={() => setSavedCount((n) => n + 1)}
      />
    </div>
  );
}
