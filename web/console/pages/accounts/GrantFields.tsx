import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { listRoles, type Role } from '../../api/accounts.ts';
import { roleName } from '../../lib/labels.ts';
import { useLoad } from '../../lib/use-load.ts';

/** The roles I may give (the server marks them with actions.grant). */
export function RoleSelect({
  value,
  onChange,
  id,
}: {
  value?: number;
  onChange?: (value: number) => void;
  id?: string;
}) {
  const { t, i18n } = useTranslation();
  const roles = useLoad(listRoles, []);
  const options = (roles.data ?? [])
    .filter((r: Role) => r.actions.grant)
    .map((r) => ({ value: r.id, label: `${roleName(r, i18n.language)}（${t(`scope.${r.dataScope}`)}）` }));
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={onChange}
      loading={roles.loading}
      options={options}
      placeholder={t('accounts.chooseRole')}
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width: '100%' }}
    />
  );
}
