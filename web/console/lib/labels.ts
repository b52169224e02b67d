/** A role's name in the interface language (roles are data; English names are optional). */
export function roleName(
  role: { roleName: string; roleNameEn: string | null } | { name: string; nameEn: string | null },
  language: string,
): string {
  const [zh, en] = 'roleName' in role ? [role.roleName, role.roleNameEn] : [role.name, role.nameEn];
  return language === 'en-US' && en ? en : zh;
}
