import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, Popconfirm, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import { type Category, type CategoryNode, categoryTree, updateCategory } from '../../api/case-config.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { CategoryDrawer, type CategoryTarget } from './CategoryDrawer.tsx';
import { localName } from './format.ts';
import { SuggestCard } from './SuggestCard.tsx';

type Row = Category & { children?: Category[] };

const SHOWN_KEYWORDS = 6;

/** Whether a category's names, code or keywords contain the text (the list is a few dozen rows, all loaded). */
function matches(c: Category, text: string): boolean {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  return [c.name, c.nameEn, c.code, ...c.keywords].some((s) => s.toLowerCase().includes(q));
}

/** The two-level category tree: names, keywords that drive the suggestion, usual department, order, status. */
export function CategoriesTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [showInactive, setShowInactive] = useState(true);
  const [filter, setFilter] = useState('');
  const [tick, setTick] = useState(0);
  const [target, setTarget] = useState<CategoryTarget>();
  const [expanded, setExpanded] = useState<readonly React.Key[]>([]);
  const [busy, setBusy] = useState<number | null>(null);
  const tree = useLoad(() => categoryTree(true), [tick]);

  const rows: Row[] = useMemo(() => {
    const visible = (c: Category) => showInactive || c.active;
    return (tree.data ?? []).filter(visible).flatMap((root: CategoryNode) => {
      const children = root.children.filter(visible);
      const shownChildren = matches(root, filter) ? children : children.filter((c) => matches(c, filter));
      if (!matches(root, filter) && shownChildren.length === 0) return [];
      return [{ ...root, children: shownChildren.length ? shownChildren : undefined }];
    });
  }, [tree.data, showInactive, filter]);
  const byId = useMemo(() => {
    const map = new Map<number, Category>();
    for (const root of tree.data ?? []) {
      map.set(root.id, root);
      for (const child of root.children) map.set(child.id, child);
    }
    return map;
  }, [tree.data]);
  const filtering = filter.trim() !== '';
  const edit = (category: Category) =>
    setTarget({
      category,
      parent: category.parentId === null ? undefined : byId.get(category.parentId),
    });

  async function setActive(c: Category, active: boolean) {
    setBusy(c.id);
    try {
      await updateCategory(c.id, c.version, { active });
      message.success(
        t(active ? 'caseAdmin.categories.activated' : 'caseAdmin.categories.deactivated', {
          name: localName(c, i18n.language),
        }),
      );
    } catch (error) {
      const field = error instanceof ApiError ? (error.details as { field?: string } | undefined)?.field : undefined;
      if (error instanceof ApiError && field === 'active') {
        message.error(t(active ? 'caseAdmin.categories.parentInactive' : 'caseAdmin.categories.hasActiveChildren'));
      } else if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
        message.error(t('caseAdmin.versionConflict'));
      } else {
        message.error(errorText(error));
      }
    } finally {
      setBusy(null);
      setTick((n) => n + 1);
    }
  }

  return (
    <div className="tab-body">
      <Typography.Paragraph type="secondary">{t('caseAdmin.categories.intro')}</Typography.Paragraph>
      <div className="category-main">
        <SuggestCard
          refreshKey={tick}
          nameOf={(id) => {
            const category = byId.get(id);
            const parent = category?.parentId ? byId.get(category.parentId) : undefined;
            return category && parent
              ? `${localName(parent, i18n.language)} / ${localName(category, i18n.language)}`
              : undefined;
          }}
          onOpen={(id) => {
            const category = byId.get(id);
            if (category) edit(category);
          }}
        />
        <div className="toolbar">
          <div className="toolbar-filters">
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t('caseAdmin.categories.filter')}
              aria-label={t('caseAdmin.categories.filter')}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              style={{ width: 240 }}
            />
            <Space size={6}>
              <Switch size="small" checked={showInactive} onChange={setShowInactive} id="show-inactive-categories" />
              <label htmlFor="show-inactive-categories">{t('caseAdmin.categories.showInactive')}</label>
            </Space>
          </div>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setTarget({ parent: null })}
            data-testid="add-root-category"
          >
            {t('caseAdmin.categories.addRoot')}
          </Button>
        </div>
        {tree.error ? (
          <Alert
            type="error"
            showIcon
            title={errorText(tree.error)}
            action={<Button onClick={tree.reload}>{t('common.retry')}</Button>}
          />
        ) : null}
        <Table<Row>
          rowKey="id"
          size="small"
          loading={tree.loading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 960 }}
          locale={{ emptyText: filtering ? t('common.noMatch') : t('common.empty') }}
          expandable={{
            expandedRowKeys: filtering ? rows.map((r) => r.id) : expanded,
            onExpandedRowsChange: (keys) => setExpanded(keys),
          }}
          rowClassName={(r) => (r.active ? '' : 'row-inactive')}
          onRow={(r) =>
            ({ 'data-testid': `category-${r.code}`, 'data-active': r.active }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: t('caseAdmin.categories.fields.name'),
              width: 230,
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong={r.parentId === null}>{localName(r, i18n.language)}</Typography.Text>
                  <Typography.Text type="secondary" className="masked">
                    {r.code}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('caseAdmin.categories.fields.keywords'),
              render: (_, r) => <KeywordTags keywords={r.keywords} />,
            },
            {
              title: t('caseAdmin.categories.fields.department'),
              width: 150,
              render: (_, r) => r.department?.name ?? <span className="muted">—</span>,
            },
            { title: t('caseAdmin.categories.fields.sortOrder'), dataIndex: 'sortOrder', width: 70 },
            {
              title: t('caseAdmin.fields.status'),
              width: 80,
              render: (_, r) =>
                r.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
            },
            {
              title: t('common.actions'),
              width: 200,
              fixed: 'end',
              render: (_, r) => (
                <Space size={0} wrap>
                  <Button type="link" size="small" onClick={() => edit(r)} data-testid="edit-category">
                    {t('common.edit')}
                  </Button>
                  {r.parentId === null && r.active && (
                    <Button type="link" size="small" onClick={() => setTarget({ parent: r })}>
                      {t('caseAdmin.categories.addChild')}
                    </Button>
                  )}
                  {r.active ? (
                    <Popconfirm
                      title={t('caseAdmin.categories.deactivateConfirm', { name: localName(r, i18n.language) })}
                      description={t('caseAdmin.categories.deactivateHint')}
                      okText={t('caseAdmin.deactivate')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => setActive(r, false)}
                    >
                      <Button type="link" size="small" danger loading={busy === r.id}>
                        {t('caseAdmin.deactivate')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button type="link" size="small" loading={busy === r.id} onClick={() => setActive(r, true)}>
                      {t('caseAdmin.activate')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </div>
      <CategoryDrawer
        target={target}
        onClose={() => setTarget(undefined)}
        onSaved={(saved) => {
          setTarget(undefined);
          if (saved.parentId !== null) setExpanded((keys) => [...new Set([...keys, saved.parentId as number])]);
          setTick((n) => n + 1);
        }}
      />
    </div>
  );
}

function KeywordTags({ keywords }: { keywords: string[] }) {
  const { t } = useTranslation();
  if (keywords.length === 0) return <span className="muted">{t('caseAdmin.categories.noKeywords')}</span>;
  const rest = keywords.slice(SHOWN_KEYWORDS);
  return (
    <span className="keyword-tags" data-testid="category-keywords" data-keywords={keywords.join('|')}>
      {keywords.slice(0, SHOWN_KEYWORDS).map((k) => (
        <Tag key={k}>{k}</Tag>
      ))}
      {rest.length > 0 && (
        <Tooltip title={rest.join(t('common.listSeparator'))}>
          <Tag>+{rest.length}</Tag>
        </Tooltip>
      )}
    </span>
  );
}
