import { Select, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listPeople } from '../api/people.ts';

interface Option {
  value: number;
  label: string;
}

interface Props {
  value?: number | null;
  onChange?: (value: number | null) => void;
  /** The current person's name, shown before any search. */
  initial?: { id: number; name: string } | null;
  /** Search only among the people of this unit and below. */
  within?: number;
  placeholder?: string;
  id?: string;
}

/** Picks a person in my scope by name or phone digits, searching the server as one types. */
export function PersonSelect({ value, onChange, initial, within, placeholder, id }: Props) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<Option[]>(initial ? [{ value: initial.id, label: initial.name }] : []);
  const [searching, setSearching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const latest = useRef(0);

  useEffect(() => () => clearTimeout(timer.current), []);

  function search(text: string) {
    clearTimeout(timer.current);
    const q = text.trim();
    if (!q) return;
    timer.current = setTimeout(async () => {
      const request = ++latest.current;
      setSearching(true);
      try {
        const page = await listPeople({ q, within, page: 1, pageSize: 20 });
        if (request !== latest.current) return;
        setOptions(page.items.map((p) => ({ value: p.id, label: p.unit ? `${p.name} · ${p.unit.name}` : p.name })));
      } catch {
        if (request === latest.current) setOptions([]);
      } finally {
        if (request === latest.current) setSearching(false);
      }
    }, 300);
  }

  return (
    <Select<number>
      id={id}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      allowClear
      showSearch={{ filterOption: false, onSearch: search }}
      placeholder={placeholder ?? t('people.searchPerson')}
      notFoundContent={searching ? <Spin size="small" /> : t('common.noMatch')}
      style={{ width: '100%' }}
    />
  );
}
