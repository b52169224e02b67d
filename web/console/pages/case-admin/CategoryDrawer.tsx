import { Alert, App, Button, Descriptions, Drawer, Form, Input, InputNumber, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Category, type CategoryChanges, createCategory, updateCategory } from '../../api/case-config.ts';
import { getUnit } from '../../api/units.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { type Change, ChangeList, orDash } from './ChangeList.tsx';
import { localName } from './format.ts';
import { isVersionConflict, useServerErrors } from './server-errors.ts';

/** A category to edit, or a new one under `parent` (null: a new first-level category). */
export type CategoryTarget = { category: Category; parent?: Category } | { parent: Category | null };

interface Values {
  code: string;
  name: string;
  nameEn: string;
  keywords: string[];
  departmentId: number | null | undefined;
  sortOrder: number | null | undefined;
}

const CODE = /^[a-z][a-zA-Z0-9.]{1,63}$/;
const MAX_KEYWORDS = 30;
const MAX_KEYWORD_LENGTH = 20;
/** Typing one of these ends a keyword (as Enter does), so a pasted list "垃圾，清运、垃圾桶" becomes three. */
const KEYWORD_SEPARATORS = [',', '，', '、', ';', '；', '\n'];

/** The keywords as the server keeps them: trimmed, without empties and repeats, in the order given. */
const cleanKeywords = (list: string[] | undefined) => [...new Set((list ?? []).map((k) => k.trim()).filter(Boolean))];

function changesOf(c: Category, v: Partial<Values>): CategoryChanges {
  const out: CategoryChanges = {};
  if (v.name !== undefined && v.name.trim() !== c.name) out.name = v.name.trim();
  if (v.nameEn !== undefined && v.nameEn.trim() !== c.nameEn) out.nameEn = v.nameEn.trim();
  const keywords = cleanKeywords(v.keywords);
  if (v.keywords !== undefined && keywords.join('\u0000') !== c.keywords.join('\u0000')) out.keywords = keywords;
  const departmentId = v.departmentId ?? null;
  if ('departmentId' in v && departmentId !== (c.department?.id ?? null)) out.departmentId = departmentId;
  if (typeof v.sortOrder === 'number' && v.sortOrder !== c.sortOrder) out.sortOrder = v.sortOrder;
  return out;
}

/** Keywords added and removed, as tags. */
function KeywordDiff({ before, after }: { before: string[]; after: string[] }) {
  const added = after.filter((k) => !before.includes(k));
  const removed = before.filter((k) => !after.includes(k));
  return (
    <span>
      {added.map((k) => (
        <Tag key={`+${k}`} color="green" data-added={k}>
          +{k}
        </Tag>
      ))}
      {removed.map((k) => (
        <Tag key={`-${k}`} color="red" className="removed-keyword">
          −{k}
        </Tag>
      ))}
      {added.length === 0 && removed.length === 0 && <span className="muted">↕</span>}
    </span>
  );
}

/** Add a category or change one: names, keywords (which drive the suggestion), usual department, order. */
export function CategoryDrawer({
  target,
  onClose,
  onSaved,
}: {
  target: CategoryTarget | undefined;
  onClose(): void;
  onSaved(saved: Category): void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const placeError = useServerErrors();
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const editing = target && 'category' in target ? target.category : undefined;
  const parent = target && 'parent' in target ? target.parent : editing ? undefined : null;
  const parentRecord = parent ?? (target && 'category' in target ? target.parent : undefined);
  const parentName = parentRecord ? localName(parentRecord, i18n.language) : undefined;

  useEffect(() => {
    if (!target) return;
    setFailure(null);
    form.resetFields();
    if ('category' in target) {
      const c = target.category;
      form.setFieldsValue({
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        keywords: c.keywords,
        departmentId: c.department?.id ?? null,
        sortOrder: c.sortOrder,
      });
    } else {
      form.setFieldsValue({ code: target.parent ? `${target.parent.code}.` : '', keywords: [] });
    }
  }, [target, form]);

  const changes = editing && watched ? changesOf(editing, watched) : {};
  // The newly chosen department's name, for the list of changes (the picker gives only its id).
  const chosenDepartment = changes.departmentId;
  const department = useLoad(() => getUnit(chosenDepartment as number), [chosenDepartment], Boolean(chosenDepartment));
  const shown: Change[] = editing
    ? (Object.keys(changes) as Array<keyof CategoryChanges>).map((key) => {
        const label = t(`caseAdmin.categories.fields.${key === 'departmentId' ? 'department' : key}`);
        if (key === 'keywords')
          return {
            key,
            label,
            after: <KeywordDiff before={editing.keywords} after={changes.keywords ?? []} />,
          };
        if (key === 'departmentId')
          return {
            key,
            label,
            before: orDash(editing.department?.name),
            after: orDash(changes.departmentId === null ? null : department.data?.name),
          };
        return { key, label, before: String(editing[key] ?? ''), after: String(changes[key] ?? '') };
      })
    : [];

  const messages = {
    'DUPLICATE.code': t('caseAdmin.categories.duplicateCode'),
    'DUPLICATE.name': t('caseAdmin.categories.duplicateName'),
    'BAD_REQUEST.departmentId': t('caseAdmin.categories.departmentInvalid'),
  };

  async function save(values: Values) {
    setSaving(true);
    setFailure(null);
    try {
      let saved: Category;
      if (editing) {
        const diff = changesOf(editing, values);
        if (Object.keys(diff).length === 0) return;
        saved = await updateCategory(editing.id, editing.version, diff);
      } else {
        saved = await createCategory({
          parentId: parent?.id ?? null,
          code: values.code.trim(),
          name: values.name.trim(),
          nameEn: values.nameEn.trim(),
          keywords: cleanKeywords(values.keywords),
          departmentId: values.departmentId ?? null,
          ...(typeof values.sortOrder === 'number' ? { sortOrder: values.sortOrder } : {}),
        });
      }
      message.success(
        t(editing ? 'caseAdmin.categories.saved' : 'caseAdmin.categories.created', {
          name: localName(saved, i18n.language),
        }),
      );
      onSaved(saved);
    } catch (error) {
      if (isVersionConflict(error) && editing) {
        message.error(t('caseAdmin.versionConflict'));
        onSaved(editing);
        return;
      }
      setFailure(placeError(form, error, { messages }));
    } finally {
      setSaving(false);
    }
  }

  const title = editing
    ? t('caseAdmin.categories.editTitle', { name: localName(editing, i18n.language) })
    : parent
      ? t('caseAdmin.categories.addChildTitle', { name: parentName })
      : t('caseAdmin.categories.addRoot');

  return (
    <Drawer
      open={target !== undefined}
      onClose={onClose}
      title={title}
      size={560}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            disabled={Boolean(editing) && shown.length === 0}
            onClick={() => form.submit()}
            data-testid="save-category"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {failure && <Alert type="error" showIcon title={failure} className="form-alert" />}
      <Descriptions size="small" column={1} className="form-alert">
        <Descriptions.Item label={t('caseAdmin.categories.level')}>
          {parentName
            ? t('caseAdmin.categories.secondLevelUnder', { name: parentName })
            : t('caseAdmin.categories.firstLevel')}
        </Descriptions.Item>
      </Descriptions>
      <Form<Values> form={form} layout="vertical" onFinish={save} data-testid="category-form">
        <Form.Item
          name="code"
          label={t('caseAdmin.categories.fields.code')}
          extra={editing ? t('caseAdmin.categories.codeFixed') : t('caseAdmin.categories.codeHint')}
          rules={[
            { required: true, message: t('caseAdmin.required') },
            { pattern: CODE, message: t('caseAdmin.categories.codeHint') },
          ]}
        >
          <Input disabled={Boolean(editing)} maxLength={64} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('caseAdmin.categories.fields.name')}
          rules={[
            { required: true, whitespace: true, message: t('caseAdmin.required') },
            { max: 50, message: t('common.maxLength', { max: 50 }) },
          ]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t('caseAdmin.categories.fields.nameEn')}
          rules={[
            { required: true, whitespace: true, message: t('caseAdmin.required') },
            { max: 80, message: t('common.maxLength', { max: 80 }) },
          ]}
        >
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item
          name="keywords"
          label={t('caseAdmin.categories.fields.keywords')}
          extra={t('caseAdmin.categories.keywordsHint', { max: MAX_KEYWORDS, length: MAX_KEYWORD_LENGTH })}
          rules={[
            {
              validator: async (_, value: string[] | undefined) => {
                const list = cleanKeywords(value);
                if (list.length > MAX_KEYWORDS)
                  throw new Error(t('caseAdmin.categories.tooManyKeywords', { max: MAX_KEYWORDS }));
                const long = list.find((k) => k.length > MAX_KEYWORD_LENGTH);
                if (long)
                  throw new Error(t('caseAdmin.categories.keywordTooLong', { keyword: long, max: MAX_KEYWORD_LENGTH }));
              },
            },
          ]}
        >
          <Select
            mode="tags"
            open={false}
            suffixIcon={null}
            tokenSeparators={KEYWORD_SEPARATORS}
            placeholder={t('caseAdmin.categories.keywordsPlaceholder')}
            data-testid="keywords-input"
          />
        </Form.Item>
        <Form.Item
          name="departmentId"
          label={t('caseAdmin.categories.fields.department')}
          extra={t('caseAdmin.categories.departmentHint')}
        >
          <UnitTreeSelect
            selectableKinds={['department']}
            placeholder={t('caseAdmin.categories.departmentPlaceholder')}
          />
        </Form.Item>
        <Form.Item
          name="sortOrder"
          label={t('caseAdmin.categories.fields.sortOrder')}
          extra={editing ? undefined : t('caseAdmin.categories.sortOrderHint')}
          rules={[{ type: 'number', min: 0, max: 1_000_000, message: t('caseAdmin.categories.sortOrderRange') }]}
        >
          <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <button type="submit" className="implicit-submit" tabIndex={-1} aria-hidden />
      </Form>
      <ChangeList changes={shown} creating={!editing} />
    </Drawer>
  );
}
