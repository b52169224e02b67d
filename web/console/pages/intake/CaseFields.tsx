/**
 * The parts of a case form shared by intake (受理登记) and the call-back form (回电并登记): what happened
 * (title, description, suggested and chosen category, urgency), where (address search and the map), the
 * duplicate warning, confidentiality and photos. Each part is a set of antd Form.Items and reads the form
 * it sits in, so both forms hold the same field names.
 */
import { BulbOutlined, EnvironmentOutlined } from '@ant-design/icons';
import {
  Alert,
  AutoComplete,
  Button,
  Col,
  Flex,
  Form,
  type FormInstance,
  Input,
  Radio,
  Row,
  Switch,
  Tag,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHref } from 'react-router-dom';
import { ApiError } from '../../../shared/api.ts';
import { type CaseSummary, similarCases, type Urgency } from '../../api/cases.ts';
import { StateTag } from '../../components/cases/CaseTags.tsx';
import {
  type CategoryNode,
  CategoryPicker,
  type CategorySuggestion,
  loadCategories,
  suggestCategories,
} from '../../components/cases/CategoryPicker.tsx';
import { PhotoUpload } from '../../components/cases/PhotoUpload.tsx';
import { type LngLat, type LocatedGrid, type MapArea, PointPicker } from '../../components/cases/PointPicker.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { type PlaceSearchItem, searchPlaces } from './api.ts';

export const URGENCY_CHOICES: readonly Urgency[] = ['normal', 'urgent', 'critical'];

/** The fields every case form holds (intake adds its own around them). */
export interface CaseFieldValues {
  title: string;
  description: string;
  categoryId?: number;
  urgency: Urgency;
  address?: string;
  location?: LngLat;
  confidential: boolean;
  attachmentIds?: string[];
}

/** A value that settles: the latest one once it has not changed for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * A title from a description, when none was typed: its first sentence, cut at a comma when that is longer
 * than 30 characters (keeping at least 8), or else at 30 characters.
 */
export function titleFrom(description: string): string {
  const first =
    description
      .trim()
      .split(/[。！？!?；;\n]/)[0]
      ?.trim() ?? '';
  if (first.length <= 30) return first;
  const comma = Math.max(first.lastIndexOf('，', 30), first.lastIndexOf(',', 30));
  return comma >= 8 ? first.slice(0, comma) : `${first.slice(0, 30)}…`;
}

/** Category names by id in the interface language: "parent / child". */
function useCategoryNames(): Map<number, string> | undefined {
  const { i18n } = useTranslation();
  const [tree, setTree] = useState<CategoryNode[]>();
  useEffect(() => {
    let live = true;
    loadCategories().then(
      (items) => live && setTree(items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  const english = i18n.language === 'en-US';
  return useMemo(() => {
    if (!tree) return undefined;
    const name = (c: { name: string; nameEn: string }) => (english ? c.nameEn || c.name : c.name);
    const names = new Map<number, string>();
    for (const parent of tree) {
      for (const child of parent.children) names.set(child.id, `${name(parent)} / ${name(child)}`);
    }
    return names;
  }, [tree, english]);
}

/** Title, description with the categories it suggests, category and urgency. */
export function CaseTextFields({ categoryRequired = false }: { categoryRequired?: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<CaseFieldValues>();
  const title = Form.useWatch('title', form) ?? '';
  const description = Form.useWatch('description', form) ?? '';
  const categoryId = Form.useWatch('categoryId', form);
  const text = useDebounced(`${title} ${description}`.trim(), 500);
  const [suggestions, setSuggestions] = useState<CategorySuggestion[]>([]);
  const names = useCategoryNames();

  useEffect(() => {
    if (text.length < 4) {
      setSuggestions([]);
      return;
    }
    let live = true;
    suggestCategories(text.slice(0, 5000), 3).then(
      (items) => live && setSuggestions(items),
      () => live && setSuggestions([]),
    );
    return () => {
      live = false;
    };
  }, [text]);

  const required = (message: string) => ({ required: true, whitespace: true, message });
  return (
    <>
      <Form.Item
        name="title"
        label={t('intake.fields.title')}
        rules={[required(t('intake.rules.title')), { max: 200, message: t('common.maxLength', { max: 200 }) }]}
      >
        <Input maxLength={200} placeholder={t('intake.fields.titlePlaceholder')} data-testid="intake-title" />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('intake.fields.description')}
        rules={[required(t('intake.rules.description')), { max: 5000, message: t('common.maxLength', { max: 5000 }) }]}
        style={{ marginBottom: 8 }}
      >
        <Input.TextArea
          rows={4}
          maxLength={5000}
          showCount
          placeholder={t('intake.fields.descriptionPlaceholder')}
          data-testid="intake-description"
          onBlur={() => {
            const current = form.getFieldValue('title') as string | undefined;
            const described = form.getFieldValue('description') as string | undefined;
            if (!current?.trim() && described?.trim()) form.setFieldValue('title', titleFrom(described));
          }}
        />
      </Form.Item>
      <Flex wrap gap={6} align="center" style={{ minHeight: 28, marginBottom: 16 }} data-testid="category-suggestions">
        <Typography.Text type="secondary">
          <BulbOutlined /> {t('intake.suggest.label')}
        </Typography.Text>
        {suggestions.length === 0 ? (
          <Typography.Text type="secondary">
            {text.length < 4 ? t('intake.suggest.typeMore') : t('intake.suggest.none')}
          </Typography.Text>
        ) : (
          suggestions.map((s) => {
            const chosen = s.id === categoryId;
            return (
              <Button
                key={s.id}
                size="small"
                type={chosen ? 'primary' : 'default'}
                aria-pressed={chosen}
                data-testid="category-suggestion"
                data-category-id={s.id}
                onClick={() => form.setFields([{ name: 'categoryId', value: s.id, errors: [] }])}
              >
                {names?.get(s.id) ?? (s.parentName ? `${s.parentName} / ${s.name}` : s.name)}
              </Button>
            );
          })
        )}
      </Flex>
      <Row gutter={16}>
        <Col xs={24} md={14}>
          <Form.Item
            name="categoryId"
            label={t('intake.fields.category')}
            extra={t('intake.category.help')}
            rules={categoryRequired ? [{ required: true, message: t('intake.rules.category') }] : []}
          >
            <CategoryPicker data-testid="intake-category" />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="urgency" label={t('intake.fields.urgency')}>
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="intake-urgency">
              {URGENCY_CHOICES.map((u) => (
                <Radio.Button key={u} value={u}>
                  {t(`caseTerms.urgency.${u}`)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

interface PlaceOption {
  key: string;
  value: string;
  label: React.ReactNode;
  place: PlaceSearchItem;
}

/** Address search within my territory and the map to pin the point; the grid found is told to onGrid. */
export function PlaceFields({
  onGrid,
  mapHeight = 360,
}: {
  onGrid?(grid: LocatedGrid | null): void;
  mapHeight?: number;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const form = Form.useFormInstance<CaseFieldValues>();
  const [query, setQuery] = useState('');
  const debounced = useDebounced(query.trim(), 300);
  const [options, setOptions] = useState<PlaceOption[]>([]);
  const [searchState, setSearchState] = useState<'idle' | 'searching' | 'done' | 'failed'>('idle');
  const [searchError, setSearchError] = useState<unknown>(null);
  const [focus, setFocus] = useState<MapArea | null>(null);

  useEffect(() => {
    if (debounced.length < 2) {
      setOptions([]);
      setSearchState('idle');
      return;
    }
    let live = true;
    setSearchState('searching');
    searchPlaces(debounced.slice(0, 50), 10).then(
      (items) => {
        if (!live) return;
        setOptions(
          items.map((place) => ({
            key: String(place.id),
            value: place.address || place.name,
            place,
            label: (
              <div data-testid="address-option" data-place-name={place.name}>
                <Tag style={{ marginInlineEnd: 6 }}>{t(`unitKinds.${place.kind}`)}</Tag>
                <strong>{place.name}</strong>
                <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)', whiteSpace: 'normal' }}>
                  {[...place.within, ...(place.grid && place.kind !== 'grid' ? [place.grid.name] : [])].join(' / ')}
                </div>
              </div>
            ),
          })),
        );
        setSearchState('done');
      },
      (error: unknown) => {
        if (!live) return;
        setOptions([]);
        setSearchError(error);
        setSearchState('failed');
      },
    );
    return () => {
      live = false;
    };
  }, [debounced, t]);

  function choose(place: PlaceSearchItem) {
    if (place.bounds) setFocus({ ...place.bounds });
    if (place.point) form.setFields([{ name: 'location', value: place.point, errors: [] }]);
  }

  const notFound =
    searchState === 'searching'
      ? t('intake.address.searching')
      : searchState === 'failed'
        ? errorText(searchError)
        : searchState === 'done'
          ? t('intake.address.noMatch')
          : null;
  return (
    <>
      <Form.Item
        name="address"
        label={t('intake.fields.address')}
        extra={t('intake.address.help')}
        rules={[{ max: 200, message: t('common.maxLength', { max: 200 }) }]}
      >
        <AutoComplete<string, PlaceOption>
          options={options}
          showSearch={{ filterOption: false, onSearch: setQuery }}
          onSelect={(_value, option) => choose(option.place)}
          notFoundContent={notFound}
          placeholder={t('intake.address.placeholder')}
          allowClear
          data-testid="intake-address"
          popupMatchSelectWidth
        />
      </Form.Item>
      <Form.Item
        name="location"
        label={
          <span>
            <EnvironmentOutlined /> {t('intake.fields.location')}
          </span>
        }
      >
        <PointPicker focus={focus} onGrid={onGrid} height={mapHeight} />
      </Form.Item>
    </>
  );
}

type Similar = CaseSummary & { distanceMetres: number };

/** Open cases near the point (and with words in common), so the operator can tell a duplicate: a warning only. */
export function DuplicateWarning() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<CaseFieldValues>();
  const location = Form.useWatch('location', form);
  const title = Form.useWatch('title', form) ?? '';
  const description = Form.useWatch('description', form) ?? '';
  const caseBase = useHref('/cases');
  const text = (title.trim() || description.trim()).slice(0, 200);
  const key = useDebounced(location ? JSON.stringify([location.lng, location.lat, text]) : '', 600);
  const [items, setItems] = useState<Similar[]>([]);

  useEffect(() => {
    if (!key) {
      setItems([]);
      return;
    }
    const [lng, lat, words] = JSON.parse(key) as [number, number, string];
    let live = true;
    similarCases({ lng, lat, text: words || undefined, limit: 5 }).then(
      (body) => live && setItems(body.items),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, [key]);

  if (!location || items.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="duplicate-warning"
      style={{ marginBottom: 16 }}
      title={t('intake.duplicates.title', { count: items.length })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {items.map((c) => (
            <li key={c.id} data-testid="duplicate-item" data-case-number={c.number}>
              <a href={`${caseBase}/${c.id}`} target="_blank" rel="noreferrer">
                {c.number}
              </a>{' '}
              {c.title}{' '}
              <Typography.Text type="secondary">
                {t('intake.duplicates.distance', { metres: Math.round(c.distanceMetres) })}
              </Typography.Text>{' '}
              <StateTag state={c.state} />
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** The reporter's wish that their name and phone are not shown to those handling the case. */
export function ConfidentialField() {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="confidential"
      label={t('intake.fields.confidential')}
      valuePropName="checked"
      extra={t('intake.confidentialHelp')}
    >
      <Switch data-testid="intake-confidential" />
    </Form.Item>
  );
}

export function PhotosField({ onBusyChange }: { onBusyChange?(busy: boolean): void }) {
  const { t } = useTranslation();
  return (
    <Form.Item name="attachmentIds" label={t('intake.fields.photos')}>
      <PhotoUpload max={9} onBusyChange={onBusyChange} />
    </Form.Item>
  );
}

/** The form field that shows an issue the server found in a request field (the rest go to a message). */
const FIELD_OF: Record<string, string | string[]> = {
  title: 'title',
  description: 'description',
  categoryId: 'categoryId',
  urgency: 'urgency',
  location: 'location',
  address: 'address',
  unitId: 'unitId',
  caseType: 'caseType',
  channel: 'channel',
  confidential: 'confidential',
  attachmentIds: 'attachmentIds',
  selfResolved: 'selfResolvedResult',
  manualColour: 'manualColour',
  reporter: ['reporter', 'name'],
  'reporter.name': ['reporter', 'name'],
  'reporter.phone': ['reporter', 'phone'],
};

/**
 * Puts a refused submission's reasons on the fields they concern: VALIDATION_FAILED issues by their path,
 * a BAD_REQUEST naming a field (outside my area, not a second-level category …) by its field. Returns
 * false when nothing could be placed, so the caller shows the error as a message.
 */
export function showServerIssues(form: FormInstance, error: unknown, t: TFunction): boolean {
  if (!(error instanceof ApiError)) return false;
  const fields: Array<{ name: string | string[]; errors: string[] }> = [];
  const place = (path: string, text: string) => {
    const name = FIELD_OF[path] ?? FIELD_OF[path.split('.')[0] ?? ''];
    if (name && !fields.some((f) => String(f.name) === String(name))) fields.push({ name, errors: [text] });
  };
  if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
    for (const issue of error.details as Array<{ path?: string }>) {
      if (issue.path) place(issue.path, String(t('common.invalidValue')));
    }
  } else if (error.code === 'BAD_REQUEST') {
    const field = (error.details as { field?: string } | null)?.field;
    if (field) place(field, String(t(`intake.serverErrors.${field}`, { defaultValue: error.message })));
  }
  if (fields.length) form.setFields(fields);
  return fields.length > 0;
}
