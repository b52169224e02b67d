import { Alert, App, Breadcrumb, Button, Descriptions, Drawer, Popconfirm, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import { childKinds, getUnit, type Unit, unitAncestors, updateUnit } from '../../api/units.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { MoveUnitModal } from './MoveUnitModal.tsx';

interface Props {
  unitId: number | undefined;
  /** Changes when the unit was saved elsewhere (the edit form), so the details load again. */
  refreshKey: number;
  canManage: boolean;
  onClose(): void;
  onEdit(unit: Unit): void;
  onAddChild(unit: Unit): void;
  onChanged(unit: Unit, previousParentId?: number | null): Promise<void> | void;
}

/** One unit's details and what can be done with it. */
export function UnitDrawer({ unitId, refreshKey, canManage, onClose, onEdit, onAddChild, onChanged }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [moving, setMoving] = useState(false);
  const [busy, setBusy] = useState(false);
  const detail = useLoad(
    async () => (unitId ? Promise.all([getUnit(unitId), unitAncestors(unitId)]) : undefined),
    [unitId, refreshKey],
    unitId !== undefined,
  );
  const [unit, trail] = detail.data ?? [];

  async function setActive(active: boolean) {
    if (!unit) return;
    setBusy(true);
    try {
      const saved = await updateUnit(unit.id, unit.version, { active });
      message.success(active ? t('units.activated') : t('units.deactivated'));
      detail.reload();
      await onChanged(saved);
    } catch (error) {
      const hasChildren = error instanceof ApiError && error.code === 'CONFLICT';
      message.error(hasChildren ? t('units.deactivateHasChildren') : errorText(error));
    } finally {
      setBusy(false);
    }
  }

  const actions = unit && canManage && (
    <Space wrap>
      <Button onClick={() => onEdit(unit)}>{t('common.edit')}</Button>
      {childKinds(unit.kind).length > 0 && unit.active && (
        <Button onClick={() => onAddChild(unit)}>{t('units.addChild')}</Button>
      )}
      {unit.parentId !== null && <Button onClick={() => setMoving(true)}>{t('units.move')}</Button>}
      {unit.active ? (
        <Popconfirm
          title={t('units.deactivateConfirm', { name: unit.name })}
          description={t('units.deactivateHint')}
          onConfirm={() => setActive(false)}
          okButtonProps={{ danger: true }}
        >
          <Button danger loading={busy}>
            {t('units.deactivate')}
          </Button>
        </Popconfirm>
      ) : (
        <Button loading={busy} onClick={() => setActive(true)}>
          {t('units.activate')}
        </Button>
      )}
    </Space>
  );

  return (
    <Drawer
      open={unitId !== undefined}
      onClose={onClose}
      size={560}
      title={unit ? unit.name : t('units.detailTitle')}
      extra={actions}
      destroyOnHidden
    >
      {detail.loading && !unit ? <Spin /> : null}
      {detail.error ? <Alert type="error" title={errorText(detail.error)} /> : null}
      {unit && (
        <>
          <Breadcrumb items={(trail ?? []).map((u) => ({ key: u.id, title: u.name }))} style={{ marginBottom: 16 }} />
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'name', label: t('units.fields.name'), children: unit.name },
              { key: 'kind', label: t('units.fields.kind'), children: t(`unitKinds.${unit.kind}`) },
              { key: 'code', label: t('units.fields.code'), children: unit.code ?? '—' },
              { key: 'phone', label: t('units.fields.phone'), children: unit.phone ?? '—' },
              { key: 'address', label: t('units.fields.address'), children: unit.address ?? '—' },
              { key: 'description', label: t('units.fields.description'), children: unit.description ?? '—' },
              { key: 'sortOrder', label: t('units.fields.sortOrder'), children: unit.sortOrder },
              { key: 'children', label: t('units.fields.children'), children: unit.childCount },
              {
                key: 'status',
                label: t('units.fields.status'),
                children: unit.active ? (
                  <Tag key="active" color="green">
                    {t('common.active')}
                  </Tag>
                ) : (
                  <Tag key="inactive">{t('common.inactive')}</Tag>
                ),
              },
              { key: 'version', label: t('units.fields.version'), children: unit.version },
            ]}
          />
          <MoveUnitModal
            unit={moving ? unit : undefined}
            onClose={() => setMoving(false)}
            onMoved={async (moved) => {
              setMoving(false);
              detail.reload();
              await onChanged(moved, unit.parentId);
            }}
          />
        </>
      )}
    </Drawer>
  );
}
