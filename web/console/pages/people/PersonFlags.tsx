import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonListItem } from '../../api/people.ts';

/** The hats a person wears: resident, staff, Party member, care person (the last only when I may know it). */
export function PersonFlags({ flags }: { flags: PersonListItem['flags'] }) {
  const { t } = useTranslation();
  return (
    <>
      {flags.resident && <Tag>{t('people.flags.resident')}</Tag>}
      {flags.staff && <Tag color="blue">{t('people.flags.staff')}</Tag>}
      {flags.partyMember && <Tag color="red">{t('people.flags.partyMember')}</Tag>}
      {flags.carePerson && <Tag color="orange">{t('people.flags.carePerson')}</Tag>}
    </>
  );
}
