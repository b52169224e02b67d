import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props {
  mode: 'draw' | 'preview';
  vertexCount: number;
  saving: boolean;
  onUndo(): void;
  onClear(): void;
  onCancel(): void;
  onSave(): void;
}

/** Floats over the map while a boundary is drawn or previewed. */
export function BoundaryToolbar({ mode, vertexCount, saving, onUndo, onClear, onCancel, onSave }: Props) {
  const { t } = useTranslation();
  const canSave = mode === 'preview' || vertexCount >= 3;
  return (
    <div className="boundary-toolbar">
      <Typography.Text>
        {mode === 'draw' ? t('grids.drawHint', { count: vertexCount }) : t('grids.previewHint')}
      </Typography.Text>
      <Space wrap>
        {mode === 'draw' && (
          <>
            <Button size="small" onClick={onUndo} disabled={vertexCount === 0}>
              {t('grids.undo')}
            </Button>
            <Button size="small" onClick={onClear} disabled={vertexCount === 0}>
              {t('grids.clear')}
            </Button>
          </>
        )}
        <Button size="small" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button size="small" type="primary" onClick={onSave} disabled={!canSave} loading={saving}>
          {t('grids.saveBoundary')}
        </Button>
      </Space>
    </div>
  );
}
