import { DeleteOutlined, DownOutlined, SaveOutlined, StarOutlined } from '@ant-design/icons';
import { App, Button, Divider, Empty, Form, Input, List, Modal, Popconfirm, Popover, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import type { CaseFilter } from '../../api/cases.ts';
import {
  createSavedFilter,
  deleteSavedFilter,
  listSavedFilters,
  type SavedFilter,
  type SavedFilterPage,
} from '../../api/saved-filters.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { filterFromSaved, filterToSaved } from './filter-url.ts';

interface Props {
  page: SavedFilterPage;
  /** The filter on screen: what "save current" keeps. */
  current: CaseFilter;
  onApply(filter: CaseFilter): void;
}

/** 常用筛选: apply one of my saved filters, save the current one under a name, delete one. */
export function SavedFilters({ page, current, onApply }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const saved = useLoad(() => listSavedFilters(page), [page], open || saving);

  const apply = (f: SavedFilter) => {
    setOpen(false);
    onApply(filterFromSaved(f.query));
    message.success(t('worklist.saved.applied', { name: f.name }));
  };
  const remove = async (f: SavedFilter) => {
    try {
      await deleteSavedFilter(f.id);
      message.success(t('worklist.saved.deleted', { name: f.name }));
      saved.reload();
    } catch (error) {
      message.error(errorText(error));
    }
  };

  const content = (
    <div className="saved-filters" data-testid="saved-filters-panel">
      <Spin spinning={saved.loading}>
        {saved.error ? (
          <Typography.Text type="danger">{errorText(saved.error)}</Typography.Text>
        ) : (
          <List<SavedFilter>
            size="small"
            dataSource={saved.data ?? []}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('worklist.saved.none')} />,
            }}
            renderItem={(f) => (
              <List.Item
                key={f.id}
                actions={[
                  <Popconfirm
                    key="delete"
                    title={t('worklist.saved.deleteConfirm', { name: f.name })}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => remove(f)}
                  >
                    <Button
                      type="text"
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`${t('worklist.saved.delete')} ${f.name}`}
                      data-testid="saved-filter-delete"
                    />
                  </Popconfirm>,
                ]}
              >
                <Typography.Link onClick={() => apply(f)} data-testid="saved-filter-item" data-name={f.name}>
                  {f.name}
                </Typography.Link>
              </List.Item>
            )}
          />
        )}
      </Spin>
      <Divider className="saved-filters-divider" />
      <Button
        type="link"
        icon={<SaveOutlined />}
        onClick={() => {
          setOpen(false);
          setSaving(true);
        }}
        data-testid="saved-filter-save"
      >
        {t('worklist.saved.saveCurrent')}
      </Button>
    </div>
  );

  return (
    <>
      <Popover
        content={content}
        title={t('worklist.saved.menu')}
        trigger="click"
        placement="bottomRight"
        open={open}
        onOpenChange={setOpen}
      >
        <Button icon={<StarOutlined />} data-testid="saved-filters-button">
          {t('worklist.saved.menu')} <DownOutlined />
        </Button>
      </Popover>
      <SaveFilterModal
        open={saving}
        page={page}
        current={current}
        onClose={() => setSaving(false)}
        onSaved={(name) => {
          setSaving(false);
          saved.reload();
          message.success(t('worklist.saved.saved', { name }));
        }}
      />
    </>
  );
}

function SaveFilterModal(props: {
  open: boolean;
  page: SavedFilterPage;
  current: CaseFilter;
  onClose(): void;
  onSaved(name: string): void;
}) {
  const { open, page, current, onClose, onSaved } = props;
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async ({ name }: { name: string }) => {
    setBusy(true);
    try {
      const created = await createSavedFilter({ page, name: name.trim(), query: filterToSaved(current) });
      form.resetFields();
      onSaved(created.name);
    } catch (error) {
      const text =
        error instanceof ApiError && error.code === 'DUPLICATE'
          ? t('worklist.saved.duplicate')
          : error instanceof ApiError && (error.details as { reason?: string } | undefined)?.reason === 'TOO_MANY'
            ? t('worklist.saved.tooMany')
            : errorText(error);
      form.setFields([{ name: 'name', errors: [text] }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('worklist.saved.saveTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'saved-filter-submit' } as Record<string, string>}
    >
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item
          name="name"
          label={t('worklist.saved.name')}
          rules={[
            { required: true, whitespace: true, message: t('worklist.saved.nameRequired') },
            { max: 50, message: t('worklist.saved.nameTooLong') },
          ]}
        >
          <Input
            autoFocus
            maxLength={50}
            placeholder={t('worklist.saved.namePlaceholder')}
            data-testid="saved-filter-name"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
