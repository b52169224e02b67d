import { CloseOutlined, PhoneOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Collapse, Descriptions, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type CardPerson, type GridSummary, getGridCard } from '../../api/grids.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';

function PersonLine({ person }: { person: CardPerson }) {
  const { t } = useTranslation();
  return (
    <Space wrap size={4}>
      <Tag color="green">{t(`posts.${person.post}`, { defaultValue: person.post })}</Tag>
      <Typography.Text strong>{person.personName}</Typography.Text>
      {person.phone && (
        <Typography.Text copyable={{ text: person.phone }}>
          <PhoneOutlined /> {person.phone}
        </Typography.Text>
      )}
      {person.services && <Typography.Text type="secondary">{person.services}</Typography.Text>}
    </Space>
  );
}

/** The grid's contact card: who looks after it, their work phones, the heads of its compounds and buildings. */
export function GridCardPanel({
  grid,
  actions,
  onClose,
}: {
  grid: GridSummary;
  actions: React.ReactNode;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const card = useLoad(() => getGridCard(grid.id), [grid.id, grid.boundaryUpdatedAt]);
  const data = card.data?.grid.id === grid.id ? card.data : undefined;

  return (
    <Card
      size="small"
      className="grid-card"
      title={grid.name}
      extra={
        <Button type="text" size="small" icon={<CloseOutlined />} onClick={onClose} aria-label={t('common.close')} />
      }
      data-testid="grid-card"
    >
      {card.loading && !data ? <Spin /> : null}
      {card.error ? <Alert type="error" title={errorText(card.error)} /> : null}
      {data && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'community', label: t('grids.community'), children: data.community?.name ?? '—' },
              { key: 'phone', label: t('grids.phone'), children: data.grid.phone ?? data.community?.phone ?? '—' },
              {
                key: 'boundary',
                label: t('grids.boundary'),
                children: grid.hasBoundary ? (
                  <Tag color="green">{t('grids.hasBoundary')}</Tag>
                ) : (
                  <Tag>{t('grids.noBoundary')}</Tag>
                ),
              },
            ]}
          />
          <Typography.Text strong>{t('grids.staff')}</Typography.Text>
          {data.posts.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('grids.noStaff')} />
          ) : (
            <List
              size="small"
              dataSource={data.posts}
              renderItem={(p) => (
                <List.Item>
                  <PersonLine person={p} />
                </List.Item>
              )}
            />
          )}
          {data.subUnits.length > 0 && (
            <Collapse
              size="small"
              items={[
                {
                  key: 'sub',
                  label: t('grids.subUnits', { count: data.subUnits.length }),
                  children: (
                    <List
                      size="small"
                      dataSource={data.subUnits}
                      renderItem={(u) => (
                        <List.Item>
                          <Space orientation="vertical" size={2}>
                            <span>
                              {u.name} <Tag>{t(`unitKinds.${u.kind}`)}</Tag>
                            </span>
                            {u.heads.map((h) => (
                              <PersonLine key={h.id} person={h} />
                            ))}
                          </Space>
                        </List.Item>
                      )}
                    />
                  ),
                },
              ]}
            />
          )}
          {actions}
        </Space>
      )}
    </Card>
  );
}
