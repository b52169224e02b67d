import { Alert, Button, Descriptions, Drawer, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ageOf, getPerson, type RevealField } from '../../api/people.ts';
import { RevealButton } from '../../components/RevealButton.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { CareFormModal } from '../care/CareFormModal.tsx';
import { PersonFlags } from './PersonFlags.tsx';

interface Props {
  personId: number | undefined;
  refreshKey: number;
  /** Values already revealed on the list, shown here too (each reveal is audited once, not twice). */
  known?: Revealed;
  /** Told about revealed values, so the list can show them too. */
  onRevealed?(personId: number, values: Revealed): void;
  onClose(): void;
  /** Without it the drawer offers no edit button. */
  onEdit?(id: number): void;
  onChanged(): void;
}

/** One person: identity, contact (masked unless revealed), posts, Party membership and care file. */
type Revealed = Partial<Record<RevealField, string | null>>;

export function PersonDrawer({ personId, refreshKey, known, onRevealed, onClose, onEdit, onChanged }: Props) {
  const { t } = useTranslation();
  const [revealedFor, setRevealedFor] = useState<{ id: number; values: Revealed }>();
  const mine = revealedFor && revealedFor.id === personId ? revealedFor.values : undefined;
  const revealed = known || mine ? { ...known, ...mine } : undefined;
  const errorText = useErrorText();
  const [careOpen, setCareOpen] = useState(false);
  const [careSaved, setCareSaved] = useState(0);
  const detail = useLoad(
    () => getPerson(personId as number),
    [personId, refreshKey, careSaved],
    personId !== undefined,
  );
  const person = detail.data?.id === personId ? detail.data : undefined;
  const shown = (field: RevealField) => revealed?.[field] ?? person?.[field] ?? '—';
  const hidden =
    person && (['phone', 'idNumber', 'address'] as const).some((f) => person[f] && revealed?.[f] === undefined);

  return (
    <Drawer
      open={personId !== undefined}
      onClose={onClose}
      size={600}
      title={person?.name ?? t('people.detailTitle')}
      destroyOnHidden
      extra={
        person && (
          <Space>
            {person.actions.reveal && hidden && (
              <RevealButton
                personId={person.id}
                fields={['phone', 'idNumber', 'address']}
                onRevealed={(values) => {
                  setRevealedFor({ id: person.id, values });
                  onRevealed?.(person.id, values);
                }}
                label={t('people.revealAll')}
              />
            )}
            {person.actions.update && onEdit && <Button onClick={() => onEdit(person.id)}>{t('common.edit')}</Button>}
          </Space>
        )
      }
    >
      {detail.loading && !person ? <Spin /> : null}
      {detail.error ? <Alert type="error" title={errorText(detail.error)} /> : null}
      {person && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions
            column={2}
            bordered
            size="small"
            items={[
              { key: 'name', label: t('people.fields.name'), children: person.name },
              {
                key: 'gender',
                label: t('people.fields.gender'),
                children: person.gender ? t(`people.gender.${person.gender}`) : '—',
              },
              { key: 'birthDate', label: t('people.fields.birthDate'), children: person.birthDate ?? '—' },
              { key: 'age', label: t('people.fields.age'), children: ageOf(person.birthDate) ?? '—' },
              {
                key: 'phone',
                label: t('people.fields.phone'),
                children: <span className="masked">{shown('phone')}</span>,
              },
              {
                key: 'idNumber',
                label: t('people.fields.idNumber'),
                children: <span className="masked">{shown('idNumber')}</span>,
              },
              { key: 'unit', label: t('people.fields.unit'), span: 2, children: person.unit?.name ?? '—' },
              { key: 'address', label: t('people.fields.address'), span: 2, children: shown('address') },
              {
                key: 'flags',
                label: t('people.fields.flags'),
                span: 2,
                children: <PersonFlags flags={person.flags} />,
              },
              { key: 'note', label: t('people.fields.note'), span: 2, children: person.note ?? '—' },
            ]}
          />
          <div>
            <Typography.Title level={5}>{t('people.posts')}</Typography.Title>
            {person.posts.length === 0 ? (
              <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={person.posts}
                renderItem={(p) => (
                  <List.Item>
                    <Tag color="green">{t(`posts.${p.post}`, { defaultValue: p.post })}</Tag> {p.unit.name}
                    {p.services ? <Typography.Text type="secondary"> · {p.services}</Typography.Text> : null}
                  </List.Item>
                )}
              />
            )}
          </div>
          <div>
            <Typography.Title level={5}>{t('people.partyMembership')}</Typography.Title>
            {person.partyMembership ? (
              <Descriptions
                column={2}
                size="small"
                items={[
                  { key: 'org', label: t('party.fields.org'), span: 2, children: person.partyMembership.partyOrg.name },
                  {
                    key: 'status',
                    label: t('party.fields.status'),
                    children: t(`party.memberStatus.${person.partyMembership.status}`),
                  },
                  {
                    key: 'joined',
                    label: t('party.fields.joinedOn'),
                    children: person.partyMembership.joinedOn ?? '—',
                  },
                  {
                    key: 'checkIn',
                    label: t('party.fields.checkInUnit'),
                    span: 2,
                    children: person.partyMembership.checkInUnit?.name ?? '—',
                  },
                ]}
              />
            ) : (
              <Typography.Text type="secondary">{t('people.notPartyMember')}</Typography.Text>
            )}
          </div>
          {person.flags.carePerson !== null && (
            <div>
              <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Title level={5}>{t('care.file')}</Typography.Title>
                {person.actions.manageCare && (
                  <Button size="small" onClick={() => setCareOpen(true)}>
                    {person.care ? t('care.editFile') : t('care.addFile')}
                  </Button>
                )}
              </Space>
              {person.care ? (
                <Descriptions
                  column={2}
                  size="small"
                  items={[
                    {
                      key: 'kinds',
                      label: t('care.fields.kinds'),
                      span: 2,
                      children: person.care.kinds.map((k) => (
                        <Tag key={k} color="orange">
                          {t(`care.kinds.${k}`)}
                        </Tag>
                      )),
                    },
                    {
                      key: 'cycle',
                      label: t('care.fields.visitCycleDays'),
                      children: person.care.visitCycleDays
                        ? t('care.everyDays', { count: person.care.visitCycleDays })
                        : '—',
                    },
                    {
                      key: 'responsible',
                      label: t('care.fields.responsible'),
                      children: person.care.responsiblePerson?.name ?? '—',
                    },
                    { key: 'note', label: t('care.fields.note'), span: 2, children: person.care.note ?? '—' },
                  ]}
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('care.noFile')} />
              )}
            </div>
          )}
          <CareFormModal
            open={careOpen}
            person={{ id: person.id, name: person.name, unitId: person.unit?.id }}
            care={person.care}
            onClose={() => setCareOpen(false)}
            onSaved={() => {
              setCareOpen(false);
              setCareSaved((n) => n + 1);
              onChanged();
            }}
          />
        </Space>
      )}
    </Drawer>
  );
}
