import { Alert, Form, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parentKinds, type Unit, type UnitKind, updateUnit } from '../../api/units.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';

/** Move a unit (with everything under it) to another parent of a kind that may hold it. */
export function MoveUnitModal({
  unit,
  onClose,
  onMoved,
}: {
  unit: Unit | undefined;
  onClose(): void;
  onMoved(unit: Unit): Promise<void> | void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [parentId, setParentId] = useState<number>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const allowed = unit ? parentKinds(unit.kind).filter((k): k is UnitKind => k !== null) : [];

  async function move() {
    if (!unit || !parentId) return;
    setSaving(true);
    setFailure(null);
    try {
      const moved = await updateUnit(unit.id, unit.version, { parentId });
      setParentId(undefined);
      await onMoved(moved);
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={unit !== undefined}
      title={unit ? t('units.moveTitle', { name: unit.name }) : ''}
      onCancel={() => {
        setParentId(undefined);
        setFailure(null);
        onClose();
      }}
      onOk={move}
      okText={t('units.move')}
      okButtonProps={{ disabled: !parentId }}
      confirmLoading={saving}
      destroyOnHidden
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">
        {t('units.moveHint', { kinds: allowed.map((k) => t(`unitKinds.${k}`)).join(t('common.listSeparator')) })}
      </Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('units.newParent')} required>
          <UnitTreeSelect
            value={parentId}
            onChange={setParentId}
            selectableKinds={allowed}
            excludePathPrefix={unit?.path}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
